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
import { doneItems, eventsOf, run, typesOf } from './translated-stream';
import { Redactor } from '../../../../src/core/redact';
import { ResponseBuilder } from '../../../../src/providers/chat/builder';
import { responseFromCompletion } from '../../../../src/providers/chat/json';
import { ToolNames } from '../../../../src/providers/chat/names';
import { translatedEvents } from '../../../../src/providers/chat/stream';
import { upstreamEvents } from '../../../../src/stream/source';
import { HEARTBEAT_MS, itemsToEnd, MAX_EVENT_BYTES, relayOptions, scriptedUpstream } from '../../stream/scripted-upstream';

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

describe('a compaction answer that holds a secret of the request', () => {
  const secret = 'sk-edge-Zq81vLx0PmTr44NwYb7c';
  const redactor = new Redactor([secret]);
  const summary = `Ran env: OPENAI_API_KEY=${secret}; next: echo two.`;

  it('streamed, the secret in pieces: the summary comes back redacted, and the item is still one the gateway can read', async () => {
    const upstream = scriptedUpstream();
    upstream.close();
    const options = relayOptions(
      upstream,
      'chat',
      chunk({ content: summary.slice(0, 28) }) + chunk({ content: summary.slice(28) }) + chunk({}, 'stop') + DONE,
      { redactor },
    );
    const builder = new ResponseBuilder({ model: 'm', names: new ToolNames(), maxEventBytes: MAX_EVENT_BYTES, compaction: true, redactor });
    const items = await itemsToEnd(
      translatedEvents({ source: upstreamEvents(options), builder, heartbeatMs: HEARTBEAT_MS, explain: options.explain, redactor }),
    );
    const [item] = doneItems(eventsOf(items));
    const read = compactionSummary(item?.['encrypted_content']);
    expect(read).not.toBeNull();
    expect(read).not.toContain(secret.slice(0, 8));
    expect(read).toContain('next: echo two.');
  });

  it('as JSON: the same', () => {
    const builder = new ResponseBuilder({ model: 'm', names: new ToolNames(), maxEventBytes: MAX_EVENT_BYTES, compaction: true, redactor });
    const completion = { choices: [{ message: { role: 'assistant', content: summary }, finish_reason: 'stop' }] };
    const response = responseFromCompletion(builder, new TextEncoder().encode(JSON.stringify(completion)), 'api.example');
    const shown = JSON.parse(redactor.text(JSON.stringify(response))) as { output: Json[] };
    const read = compactionSummary(shown.output[0]?.['encrypted_content']);
    expect(read).not.toBeNull();
    expect(read).not.toContain(secret.slice(0, 8));
  });
});

describe('a compaction answer Codex could not take as it came', () => {
  const compactions = (events: readonly Json[]): Json[] => doneItems(events).filter((item) => item['type'] === 'compaction');

  it('text the provider interleaves with reasoning is still one compaction item (Codex wants exactly one)', async () => {
    const { events } = await run(
      chunk({ reasoning_content: 'Let me recall. ' }) +
        chunk({ content: 'Ran ls; ' }) +
        chunk({ reasoning_content: 'And then? ' }) +
        chunk({ content: 'next: echo two.' }) +
        chunk({}, 'stop') +
        DONE,
      true,
    );
    const items = compactions(events);
    expect(items).toHaveLength(1);
    expect(compactionSummary(items[0]?.['encrypted_content'])).toBe('Ran ls; next: echo two.');
    expect(events.at(-1)?.['type']).toBe('response.completed');
  });

  it('no summary at all fails the answer, retryably, instead of completing with no compaction item', async () => {
    const { events } = await run(chunk({ reasoning_content: 'Nothing to say.' }) + chunk({}, 'stop') + DONE, true);
    expect(compactions(events)).toHaveLength(0);
    const last = events.at(-1) as Json;
    expect(last['type']).toBe('response.failed');
    expect((last['response'] as Json)['error']).toMatchObject({ code: 'server_error' });
  });
});

describe('a compaction answer as JSON', () => {
  const answer = (content: string) => {
    const builder = new ResponseBuilder({ model: 'm', names: new ToolNames(), maxEventBytes: MAX_EVENT_BYTES, compaction: true });
    const completion = { choices: [{ message: { role: 'assistant', content, reasoning_content: 'hmm' }, finish_reason: 'stop' }] };
    return () => responseFromCompletion(builder, new TextEncoder().encode(JSON.stringify(completion)), 'api.example');
  };

  it('with a summary: reasoning, then the one compaction item', () => {
    expect(answer('Ran ls.')().output.map((item) => item.type)).toEqual(['reasoning', 'compaction']);
  });

  it('with no summary: a retryable 502, not a completed answer without the item', () => {
    expect(answer('')).toThrow(expect.objectContaining({ status: 502, body: expect.objectContaining({ code: 'upstream_answer_failed' }) }) as Error);
  });
});

describe('a compaction answer the provider cut', () => {
  it('at its output limit: no half summary reaches Codex as the conversation (failed, no compaction item)', async () => {
    const { events } = await run(chunk({ content: 'Ran ls; next:' }) + chunk({}, 'length') + DONE, true);
    expect(doneItems(events).filter((item) => item['type'] === 'compaction')).toEqual([]);
    expect(events.at(-1)?.['type']).toBe('response.failed');
  });

  it('as JSON: incomplete, without the item', () => {
    const builder = new ResponseBuilder({ model: 'm', names: new ToolNames(), maxEventBytes: MAX_EVENT_BYTES, compaction: true });
    const completion = { choices: [{ message: { role: 'assistant', content: 'Ran ls; next:' }, finish_reason: 'length' }] };
    const response = responseFromCompletion(builder, new TextEncoder().encode(JSON.stringify(completion)), 'api.example');
    expect(response.status).toBe('incomplete');
    expect(response.output).toEqual([]);
  });
});
