/**
 * Golden tests on requests recorded from the real Codex CLI (0.169.0 and 0.171.0, `codex exec`,
 * test/fixtures/codex/): the chat request each translates to is exactly the reviewed golden file
 * (regenerate with `npx tsx test/support/chat-golden.ts` after a deliberate change), and a strict
 * provider takes it.
 */
import { describe, expect, it } from 'vitest';
import { strictChatViolation } from '../../../../simulator/strict-chat';
import { DEFAULT_CHAT_CAPABILITIES } from '../../../../src/config/chat-capabilities';
import { translateRequest } from '../../../../src/providers/chat/request';
import golden169 from '../../../fixtures/codex/request-0.169.0.chat.json';
import request169 from '../../../fixtures/codex/request-0.169.0.json';
import golden171 from '../../../fixtures/codex/request-0.171.0.chat.json';
import request171 from '../../../fixtures/codex/request-0.171.0.json';

describe.each([
  ['0.169.0', request169, golden169],
  ['0.171.0', request171, golden171],
])('the recorded request of Codex %s', (_version, request, golden) => {
  const translation = translateRequest(request, null, DEFAULT_CHAT_CAPABILITIES);

  it('translates to its golden chat request', () => {
    expect(JSON.parse(JSON.stringify({ dropped: translation.dropped, notes: translation.notes, body: translation.body }))).toEqual(golden);
  });

  it('is taken by a strict provider', () => {
    expect(strictChatViolation(translation.body)?.message ?? null).toBeNull();
  });

  it('keeps the system prompt (every developer message, in order) and the user turn', () => {
    const developer = request.input.filter((item) => item.role === 'developer').map((item) => item.content.map((part) => part.text).join('\n\n'));
    expect(translation.body.messages[0]).toEqual({ role: 'system', content: developer.join('\n\n') });
    expect(JSON.stringify(translation.body.messages.slice(1))).toContain('say hi');
  });

  it('offers every function tool, the namespace flattened, web_search dropped', () => {
    expect(translation.body.tools?.map((tool) => tool.function.name)).toContain('multi_agent_v1__spawn_agent');
    expect(translation.body.tools?.map((tool) => tool.function.name)).toContain('exec_command');
    expect(translation.dropped).toEqual(['web_search']);
  });
});
