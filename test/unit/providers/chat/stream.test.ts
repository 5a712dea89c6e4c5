/**
 * Chat stream → Responses stream, in-process: a scripted chat body under the real chat event
 * source (heartbeats, idle cap, closing event), translated; each row checks what Codex needs.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResponseBuilder } from '../../../../src/providers/chat/builder';
import { ToolNames } from '../../../../src/providers/chat/names';
import { pastChatPreamble, translatedEvents } from '../../../../src/providers/chat/stream';
import { upstreamEvents, type EventSource, type SourceItem } from '../../../../src/stream/source';
import { HEARTBEAT_MS, IDLE_MS, itemsToEnd, MAX_EVENT_BYTES, relayOptions, type ScriptedUpstream, scriptedUpstream } from '../../stream/scripted-upstream';
import { chunk, DONE, responsesStreamProblems, toolFragment, usageChunk, type Json } from './responses-rules';

function names(): ToolNames {
  const list = new ToolNames();
  list.add({ kind: 'function', name: 'exec_command', namespace: null });
  list.add({ kind: 'function', name: 'spawn_agent', namespace: 'multi_agent_v1' });
  list.add({ kind: 'custom', name: 'apply_patch', namespace: null });
  return list;
}

/** The translation of a scripted chat stream, under the relay's event cap (MAX_EVENT_BYTES unless given). */
function translated(upstream: ScriptedUpstream, first: string, maxEventBytes = MAX_EVENT_BYTES): EventSource {
  const options = relayOptions(upstream, 'chat', first, { maxEventBytes });
  const builder = new ResponseBuilder({ model: 'gpt-test', names: names(), maxEventBytes });
  return translatedEvents({ source: upstreamEvents(options), builder, heartbeatMs: HEARTBEAT_MS, explain: options.explain, now: () => Date.now() });
}

const drain = (source: EventSource): Promise<SourceItem[]> => itemsToEnd(source);

/** Every event the client gets, the closing one included, parsed. */
function eventsOf(items: readonly SourceItem[]): Json[] {
  return items
    .flatMap((item) => (item.kind === 'events' ? item.events : item.kind === 'end' && item.closing !== null ? [item.closing] : []))
    .map((event) => JSON.parse(event.data ?? '{}') as Json);
}

const typesOf = (events: readonly Json[]): string[] => events.map((event) => String(event['type']));
const doneItems = (events: readonly Json[]): Json[] =>
  events.filter((event) => event['type'] === 'response.output_item.done').map((event) => event['item'] as Json);

async function run(script: string): Promise<{ events: Json[]; items: SourceItem[] }> {
  const upstream = scriptedUpstream();
  upstream.close();
  const items = await drain(translated(upstream, script));
  const events = eventsOf(items);
  expect(responsesStreamProblems(events)).toEqual([]);
  return { events, items };
}

describe('chat stream → Responses stream', () => {
  it('a plain answer: created, message added before its deltas, done with the whole text, completed with usage', async () => {
    const { events, items } = await run(
      chunk({ role: 'assistant', content: '' }) +
        chunk({ content: 'Hel' }) +
        chunk({ content: 'lo' }) +
        chunk({}, 'stop') +
        usageChunk({ prompt_tokens: 10, completion_tokens: 2, total_tokens: 12, prompt_tokens_details: { cached_tokens: 4 } }) +
        DONE,
    );
    expect(typesOf(events)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(doneItems(events)[0]).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello' }] });
    const completed = events.at(-1)?.['response'] as Json;
    expect(completed['id']).toBe(events[0]?.['response'] && (events[0]['response'] as Json)['id']);
    expect(completed['usage']).toEqual({
      input_tokens: 10,
      output_tokens: 2,
      total_tokens: 12,
      input_tokens_details: { cached_tokens: 4 },
      output_tokens_details: { reasoning_tokens: 0 },
    });
    expect(items.at(-1)).toMatchObject({ kind: 'end', end: 'terminal' });
  });

  it('tool calls keyed by index, ids and names from the first fragment only: function_call items with the whole arguments', async () => {
    const { events } = await run(
      chunk({ role: 'assistant', content: null }) +
        chunk(toolFragment(0, '', { id: 'call_a', name: 'exec_command' })) +
        chunk(toolFragment(1, '{"x":', { id: 'call_b', name: 'multi_agent_v1__spawn_agent' })) +
        chunk(toolFragment(0, '{"cmd":"ls"}')) +
        chunk(toolFragment(1, '1}')) +
        chunk({}, 'tool_calls') +
        DONE,
    );
    expect(doneItems(events)).toEqual([
      {
        type: 'function_call',
        id: expect.stringMatching(/^fc_/) as string,
        call_id: 'call_a',
        name: 'exec_command',
        arguments: '{"cmd":"ls"}',
        status: 'completed',
      },
      {
        type: 'function_call',
        id: expect.stringMatching(/^fc_/) as string,
        call_id: 'call_b',
        name: 'spawn_agent',
        namespace: 'multi_agent_v1',
        arguments: '{"x":1}',
        status: 'completed',
      },
    ]);
    expect(typesOf(events).filter((type) => type === 'response.function_call_arguments.delta')).toHaveLength(3);
  });

  it('a call to a freeform tool comes back as a custom_tool_call with its input', async () => {
    const { events } = await run(
      chunk(toolFragment(0, '{"input":"*** Begin Patch\\n"}', { id: 'call_p', name: 'apply_patch' })) + chunk({}, 'tool_calls') + DONE,
    );
    expect(doneItems(events)).toEqual([
      { type: 'custom_tool_call', id: expect.stringMatching(/^ctc_/) as string, call_id: 'call_p', name: 'apply_patch', input: '*** Begin Patch\n' },
    ]);
  });

  const fragment = (id: string | null, name: string | null, args: string, index?: number): Json => ({
    tool_calls: [
      {
        ...(index === undefined ? {} : { index }),
        ...(id === null ? {} : { id, type: 'function' }),
        function: { ...(name === null ? {} : { name }), arguments: args },
      },
    ],
  });
  it.each([
    [
      'parallel calls sharing index 0, each with its own id (vLLM, Ollama through LiteLLM)',
      [fragment('call_1', 'exec_command', '{"cmd":"ls"}', 0), fragment('call_2', 'exec_command', '{"cmd":"pwd"}', 0)],
      [
        ['call_1', '{"cmd":"ls"}'],
        ['call_2', '{"cmd":"pwd"}'],
      ],
    ],
    [
      'parallel calls without an index, one per chunk (Gemini)',
      [fragment('c1', 'exec_command', '{"cmd":"ls"}'), fragment('c2', 'exec_command', '{"cmd":"pwd"}')],
      [
        ['c1', '{"cmd":"ls"}'],
        ['c2', '{"cmd":"pwd"}'],
      ],
    ],
    [
      'one call whose every fragment repeats its id',
      [fragment('c1', 'exec_command', '{"cmd":', 0), fragment('c1', null, '"ls"}', 0)],
      [['c1', '{"cmd":"ls"}']],
    ],
    [
      'one call whose later fragments carry another id but no name (Poolside, older mlx servers)',
      [fragment('c1', 'exec_command', '{"cmd":', 0), fragment('c1b', null, '"ls"}', 0)],
      [['c1', '{"cmd":"ls"}']],
    ],
    [
      'one call whose later fragments carry an empty id',
      [fragment('c1', 'exec_command', '{"cmd":', 0), fragment('', null, '"ls"}', 0)],
      [['c1', '{"cmd":"ls"}']],
    ],
  ])('%s: one function_call per call', async (_name, fragments, calls) => {
    const { events } = await run([...fragments.map((delta) => chunk(delta)), chunk({}, 'tool_calls'), DONE].join(''));
    expect(doneItems(events).map((item) => [item['call_id'], item['arguments']])).toEqual(calls);
  });

  it.each([
    ['a freeform tool called without arguments gets an empty input', 'apply_patch', { type: 'custom_tool_call', input: '' }],
    ['a function called without arguments gets an empty object', 'exec_command', { type: 'function_call', arguments: '{}' }],
  ])('%s', async (_name, tool, item) => {
    const { events } = await run(chunk(toolFragment(0, '', { id: 'c', name: tool })) + chunk({}, 'tool_calls') + DONE);
    expect(doneItems(events)).toMatchObject([item]);
  });

  it('reasoning deltas become a reasoning item with a summary, closed before the text', async () => {
    const { events } = await run(
      chunk({ reasoning_content: 'Let me ' }) + chunk({ reasoning_content: 'think.' }) + chunk({ content: 'Answer.' }) + chunk({}, 'stop') + DONE,
    );
    expect(typesOf(events).slice(2, 6)).toEqual([
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
    ]);
    expect(doneItems(events)).toMatchObject([
      { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Let me think.' }] },
      { type: 'message', content: [{ text: 'Answer.' }] },
    ]);
  });

  it('finish_reason length: the text so far is kept, then a final response.failed (invalid_prompt) with the reason', async () => {
    const { events } = await run(
      chunk({ content: 'Part' }) + chunk(toolFragment(0, '{"cmd":"l', { id: 'c', name: 'exec_command' })) + chunk({}, 'length') + DONE,
    );
    expect(doneItems(events)).toMatchObject([{ type: 'message', content: [{ text: 'Part' }] }]); // the cut call is dropped
    expect(events.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { status: 'failed', error: { code: 'invalid_prompt', message: expect.stringContaining('finish_reason "length"') as string } },
    });
  });

  it('finish_reason content_filter ends the same way', async () => {
    const { events } = await run(chunk({ content: 'x' }) + chunk({}, 'content_filter') + DONE);
    expect(events.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { error: { code: 'invalid_prompt', message: expect.stringContaining('content filter') as string } },
    });
  });

  it.each([
    ['abort', 'server_error', 'failed while writing the answer'],
    ['error', 'server_error', 'failed while writing the answer'],
    ['model_length', 'invalid_prompt', 'output token limit'],
    ['length', 'invalid_prompt', 'output token limit'],
  ])('finish_reason %s: a final response.failed with code %s', async (finish, code, message) => {
    const { events } = await run(
      chunk({ content: 'Running' }) + chunk(toolFragment(0, '{"cmd":"rm -rf /tmp/bu', { id: 'c', name: 'exec_command' })) + chunk({}, finish) + DONE,
    );
    expect(events.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { error: { code, message: expect.stringContaining(`${message} (finish_reason "${finish}")`) as string } },
    });
    expect(doneItems(events).map((item) => item['type'])).toEqual(['message']); // the text closed when the call began; never the cut call
  });

  it.each(['stop', 'tool_calls', 'eos', 'end_turn'])('finish_reason %s (benign, known or not): response.completed', async (finish) => {
    const { events } = await run(chunk({ content: 'Done.' }) + chunk({}, finish) + DONE);
    expect(events.at(-1)?.['type']).toBe('response.completed');
  });

  it.each([
    ['a provider error mid-stream', { message: 'overloaded', type: 'server_error' }, 'server_error'],
    ['a context-length error', { message: "This model's maximum context length is 8192 tokens", code: 'context_length_exceeded' }, 'context_length_exceeded'],
    ['a rate limit', { message: 'Rate limit reached, try again in 2s', code: 'rate_limit_exceeded' }, 'rate_limit_exceeded'],
  ])('%s: response.failed with code %2$s', async (_name, error, code) => {
    const { events } = await run(chunk({ content: 'x' }) + `data: ${JSON.stringify({ error })}\n\n`);
    expect(events.at(-1)).toMatchObject({ type: 'response.failed', response: { error: { code, message: error.message } } });
    expect(doneItems(events)).toEqual([]); // nothing half-made enters the conversation
  });

  it('a finished stream closed without [DONE] completes', async () => {
    const { events, items } = await run(chunk({ content: 'x' }) + chunk({}, 'stop'));
    expect(typesOf(events).at(-1)).toBe('response.completed');
    expect(items.at(-1)).toMatchObject({ kind: 'end', end: 'upstream-closed' });
  });

  it('a stream closed mid-answer ends with a retryable response.failed', async () => {
    const { events } = await run(chunk({ content: 'x' }));
    expect(events.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { error: { code: 'server_error', message: expect.stringContaining('closed the stream before its terminal event') as string } },
    });
  });

  it.each([
    [
      'completed with usage',
      chunk({ content: 'x' }) + chunk({}, 'stop') + usageChunk({ prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 }) + DONE,
      { usage: { input: 10, output: 2, total: 12, cached: 0, reasoning: 0 }, failed: false },
    ],
    ['closed mid-answer', chunk({ content: 'x' }), { usage: null, failed: true }],
    ['finish_reason length', chunk({ content: 'x' }) + chunk({}, 'length') + DONE, { usage: null, failed: true }],
  ])('the report is what the client was told (%s): the usage of response.completed, a failure for response.failed', async (_name, script, report) => {
    const upstream = scriptedUpstream();
    upstream.close();
    const source = translated(upstream, script);
    await drain(source);
    expect(source.report()).toEqual(report);
  });

  it('one event of 170,000 tool-call fragments at distinct indexes: response.failed naming the limit, the upstream cancelled, a small answer', async () => {
    const upstream = scriptedUpstream(); // the provider keeps the stream open
    const fragments = Array.from({ length: 170_000 }, (_, index) => ({ index, function: { name: 'f' } }));
    const items = await drain(translated(upstream, chunk({ tool_calls: fragments }), 8 * 1024 * 1024));
    const events = eventsOf(items);
    expect(events.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { output: [], error: { code: 'server_error', message: expect.stringContaining('more than 128 tool calls') as string } },
    });
    expect(doneItems(events)).toEqual([]);
    expect(items.at(-1)).toMatchObject({ kind: 'end', end: 'too-large' });
    expect(upstream.cancelled()).toBe(true);
    expect(JSON.stringify(events).length).toBeLessThan(200_000); // was 168 MB
  });

  it('text past MAX_SSE_EVENT_BYTES: response.failed naming the setting and the host, the upstream cancelled, no event over the cap', async () => {
    const upstream = scriptedUpstream();
    const items = await drain(translated(upstream, Array.from({ length: 100 }, () => chunk({ content: 'x'.repeat(1000) })).join('')));
    const events = eventsOf(items);
    expect(events.at(-1)).toMatchObject({
      type: 'response.failed',
      response: {
        error: {
          code: 'server_error',
          message:
            `codex-edge: the upstream sent an answer larger than ${MAX_EVENT_BYTES} bytes once translated (MAX_SSE_EVENT_BYTES) ` +
            '(upstream api.example); the request can be retried',
        },
      },
    });
    expect(doneItems(events)).toEqual([]);
    expect(items.at(-1)).toMatchObject({ kind: 'end', end: 'too-large' });
    expect(upstream.cancelled()).toBe(true);
    const sizes = items.flatMap((item) => (item.kind === 'events' ? item.events : item.kind === 'end' && item.closing !== null ? [item.closing] : []));
    expect(Math.max(...sizes.map((event) => new TextEncoder().encode(event.text).length))).toBeLessThanOrEqual(MAX_EVENT_BYTES);
  });

  it('pastChatPreamble: a role chunk alone is preamble; content, a tool call, a finish or an error is not', () => {
    expect(pastChatPreamble(chunk({ role: 'assistant', content: '' }))).toBe(false);
    expect(pastChatPreamble(chunk({ role: 'assistant', content: null }))).toBe(false);
    for (const head of [
      chunk({ content: 'H' }),
      chunk({ reasoning_content: 'r' }),
      chunk(toolFragment(0, '', { id: 'c', name: 'f' })),
      chunk({}, 'stop'),
      'data: {"error":{"message":"x"}}\n\n',
      DONE,
    ]) {
      expect(pastChatPreamble(head)).toBe(true);
    }
  });
});

describe('with time', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a stream that breaks mid-way ends with response.failed server_error naming the cause', async () => {
    const upstream = scriptedUpstream();
    const source = translated(upstream, chunk({ content: 'Hel' }));
    expect(eventsOf([await source.next(), await source.next()]).map((event) => event['type'])).toContain('response.output_text.delta');
    upstream.fail(new Error('Network connection lost.'));
    const rest = await drain(source);
    const events = eventsOf(rest);
    expect(events.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { error: { code: 'server_error', message: expect.stringContaining('the upstream stream broke (Network connection lost.)') as string } },
    });
    expect(rest.at(-1)).toMatchObject({ kind: 'end', end: 'upstream-broke' });
  });

  it('a silent provider gets heartbeats, then response.failed at the idle cap', async () => {
    const upstream = scriptedUpstream();
    const source = translated(upstream, chunk({ content: 'Hel' }));
    await source.next();
    await source.next();
    const pending = drain(source);
    await vi.advanceTimersByTimeAsync(IDLE_MS + 10);
    const items = await pending;
    expect(items.filter((item) => item.kind === 'heartbeat').length).toBeGreaterThanOrEqual(3);
    expect(eventsOf(items).at(-1)).toMatchObject({
      type: 'response.failed',
      response: { error: { code: 'server_error', message: expect.stringContaining(`sent nothing for ${IDLE_MS} ms`) as string } },
    });
    expect(upstream.cancelled()).toBe(true);
  });

  it('an error chunk (its error key not first) from a provider that stays open: response.failed at once, no heartbeat, the upstream cancelled', async () => {
    const upstream = scriptedUpstream();
    const error = { id: 'chatcmpl-1', object: 'chat.completion.chunk', error: { message: 'overloaded' } };
    const source = translated(upstream, chunk({ content: 'Hel' }) + `data: ${JSON.stringify(error)}\n\n`);
    const pending = drain(source);
    await vi.advanceTimersByTimeAsync(IDLE_MS + 10);
    const items = await pending;
    expect(items.filter((item) => item.kind === 'heartbeat')).toEqual([]);
    expect(eventsOf(items).at(-1)).toMatchObject({ type: 'response.failed', response: { error: { code: 'server_error', message: 'overloaded' } } });
    expect(items.at(-1)).toMatchObject({ kind: 'end', end: 'terminal' });
    expect(upstream.cancelled()).toBe(true);
  });

  it('chunks that translate to nothing still let a heartbeat through', async () => {
    const upstream = scriptedUpstream();
    const source = translated(upstream, chunk({ content: 'Hel' }));
    await source.next();
    await source.next();
    const pending = source.next();
    for (let i = 0; i < 4; i += 1) {
      await vi.advanceTimersByTimeAsync(300);
      upstream.send(': keep-alive\n\n' + chunk({ content: '' }));
    }
    await vi.advanceTimersByTimeAsync(10);
    expect(await pending).toEqual({ kind: 'heartbeat' });
  });
});
