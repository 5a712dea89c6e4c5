/**
 * Codex's remote compaction against a Chat provider (providers/chat/compaction.ts): the request
 * ending in `compaction_trigger` asks the provider for a summary, the answer is one `compaction`
 * item holding it, and that item, sent back later, is the summary again. Codex 0.169 and 0.171
 * (built-in provider, `openai_base_url`) got a final 400 `untranslatable_request` for the trigger.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHAT_CAPABILITIES } from '../../../../src/config/chat-capabilities';
import { GatewayError } from '../../../../src/core/errors';
import { compactionContent, compactionSummary, SUMMARY_REQUEST, summaryMessage } from '../../../../src/providers/chat/compaction';
import { translateRequest } from '../../../../src/providers/chat/request';
import { chunk, DONE, usageChunk, type Json } from './responses-rules';
import { doneItems, run, typesOf } from './translated-stream';

const translate = (doc: Record<string, unknown>) => translateRequest({ model: 'm', ...doc }, null, DEFAULT_CHAT_CAPABILITIES);
const user = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const tool = { type: 'function', name: 'exec_command', parameters: { type: 'object', properties: {} } };

describe('the compaction request', () => {
  it('the trigger becomes a user message asking for a summary, and no tool is offered', () => {
    const translation = translate({
      input: [
        user('list files'),
        { type: 'function_call', call_id: 'c1', name: 'exec_command', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'a.txt' },
        { type: 'compaction_trigger' },
      ],
      tools: [tool],
      tool_choice: 'auto',
      stream: true,
    });
    expect(translation.compaction).toBe(true);
    expect(translation.body.messages.at(-1)).toEqual({ role: 'user', content: SUMMARY_REQUEST });
    expect(translation.body.tools).toBeUndefined();
    expect(translation.body.tool_choice).toBeUndefined();
    expect(translation.notes).toContain('compaction_trigger answered with a summary');
  });

  it('an ordinary request is no compaction', () => {
    expect(translate({ input: [user('hi')], tools: [tool] }).compaction).toBe(false);
  });
});

describe('a compaction item sent back', () => {
  it('one the gateway made is a user message holding its summary, whatever its characters', () => {
    const summary = 'ran ls: a.txt, b.txt — next: « echo two » 🚀';
    const { messages } = translate({
      input: [user('list files'), { type: 'compaction', id: 'msg_1', encrypted_content: compactionContent(summary) }, user('go on')],
    }).body;
    expect(messages).toEqual([{ role: 'user', content: `list files\n\n${summaryMessage(summary)}\n\ngo on` }]);
  });

  it('an opaque one (made by OpenAI) is refused by name, final', () => {
    let error: unknown = null;
    try {
      translate({ input: [user('hi'), { type: 'compaction', encrypted_content: 'gAAAAABopaque' }] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(400);
    expect((error as GatewayError).body).toMatchObject({ code: 'untranslatable_request', param: 'input[1]' });
    expect((error as GatewayError).message).toMatch(/compaction item another provider made/);
  });

  it.each([['gAAAAABopaque'], ['codex-edge.summary.v1:***'], [42], [null]])('%j holds no summary of the gateway', (content) => {
    expect(compactionSummary(content)).toBeNull();
  });
});

describe('the answer to a compaction request', () => {
  it('the text is not streamed: one compaction item holding it, then completed with usage', async () => {
    const { events } = await run(
      chunk({ role: 'assistant', content: '' }) +
        chunk({ content: 'Ran ls; ' }) +
        chunk({ content: 'next: echo two.' }) +
        chunk({}, 'stop') +
        usageChunk({ prompt_tokens: 100, completion_tokens: 9, total_tokens: 109 }) +
        DONE,
      true,
    );
    expect(typesOf(events)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.output_item.done',
      'response.completed',
    ]);
    const [item] = doneItems(events);
    expect(item).toMatchObject({ type: 'compaction' });
    expect(compactionSummary(item?.['encrypted_content'])).toBe('Ran ls; next: echo two.');
    const completed = events.at(-1)?.['response'] as Json;
    expect(completed['output']).toEqual([item]);
    expect(completed['usage']).toMatchObject({ input_tokens: 100, output_tokens: 9 });
  });
});
