/**
 * Golden tests on requests recorded from the real Codex CLI (0.169.0 and 0.171.0, `codex exec`
 * through the gateway, test/support/record-codex-requests.ts): the first request of a turn and
 * the second of a tool loop (reasoning item, function_call, function_call_output). The chat
 * request each translates to is exactly the reviewed golden file (regenerate with
 * `npx tsx test/support/chat-golden.ts` after a deliberate change), and a strict provider takes it.
 */
import { describe, expect, it } from 'vitest';
import { strictChatViolation } from '../../../../simulator/strict-chat';
import { DEFAULT_CHAT_CAPABILITIES } from '../../../../src/config/chat-capabilities';
import { translateRequest } from '../../../../src/providers/chat/request';
import loop169 from '../../../fixtures/codex/request-0.169.0-tool-loop.json';
import loopGolden169 from '../../../fixtures/codex/request-0.169.0-tool-loop.chat.json';
import golden169 from '../../../fixtures/codex/request-0.169.0.chat.json';
import request169 from '../../../fixtures/codex/request-0.169.0.json';
import loop171 from '../../../fixtures/codex/request-0.171.0-tool-loop.json';
import loopGolden171 from '../../../fixtures/codex/request-0.171.0-tool-loop.chat.json';
import golden171 from '../../../fixtures/codex/request-0.171.0.chat.json';
import request171 from '../../../fixtures/codex/request-0.171.0.json';

type Recorded = typeof request169 | typeof request171 | typeof loop169 | typeof loop171;

describe.each<[string, Recorded, unknown]>([
  ['0.169.0, first request', request169, golden169],
  ['0.171.0, first request', request171, golden171],
  ['0.169.0, tool loop', loop169, loopGolden169],
  ['0.171.0, tool loop', loop171, loopGolden171],
])('Codex %s', (_name, request, golden) => {
  const translation = translateRequest(request, null, DEFAULT_CHAT_CAPABILITIES);

  it('translates to its golden chat request', () => {
    expect(JSON.parse(JSON.stringify({ dropped: translation.dropped, notes: translation.notes, body: translation.body }))).toEqual(golden);
  });

  it('is taken by a strict provider', () => {
    expect(strictChatViolation(translation.body)?.message ?? null).toBeNull();
  });

  it('keeps the system prompt (every developer message, in order) and the user turn', () => {
    const developer = request.input.flatMap((item) =>
      item.type === 'message' && item.role === 'developer' ? [item.content.map((part) => part.text).join('\n\n')] : [],
    );
    expect(translation.body.messages[0]).toEqual({ role: 'system', content: developer.join('\n\n') });
    expect(JSON.stringify(translation.body.messages.slice(1))).toContain('say hi');
  });

  it('offers every function tool, the namespace flattened, web_search dropped', () => {
    const names = translation.body.tools?.map((tool) => tool.function.name);
    expect(names).toContain('multi_agent_v1__spawn_agent');
    expect(names).toContain('exec_command');
    expect(translation.dropped).toEqual(['web_search']);
  });
});

describe.each([
  ['0.169.0', loop169],
  ['0.171.0', loop171],
])('the tool loop of Codex %s', (_version, request) => {
  const call = request.input.find((item) => item.type === 'function_call');

  it('sends the call as assistant tool_calls answered by its tool message, the reasoning dropped', () => {
    const { body } = translateRequest(request, null, DEFAULT_CHAT_CAPABILITIES);
    const [assistant, tool] = body.messages.slice(-2);
    expect(assistant).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: call?.call_id, type: 'function', function: { name: 'exec_command', arguments: call?.arguments } }],
    });
    expect(tool).toMatchObject({ role: 'tool', tool_call_id: call?.call_id, content: expect.stringContaining('codex-edge-tool-ok') as string });
  });

  it('gives the reasoning back as reasoning_content where the provider wants it', () => {
    const { body } = translateRequest(request, null, { ...DEFAULT_CHAT_CAPABILITIES, reasoningContent: true });
    expect(body.messages.at(-2)).toMatchObject({ role: 'assistant', reasoning_content: 'The user wants a greeting; first I check the shell works.' });
    expect(strictChatViolation(body)?.message ?? null).toBeNull();
  });
});
