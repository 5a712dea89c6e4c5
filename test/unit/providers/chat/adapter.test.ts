/** The chat adapter on the seam: which calls it translates, what it sends, what it learns from a refusal, what it notes. */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CHAT_CAPABILITIES } from '../../../../src/config/chat-capabilities';
import { Redactor } from '../../../../src/core/redact';
import type { AnswerContext } from '../../../../src/providers/adapter';
import { chatAdapter } from '../../../../src/providers/chat/adapter';
import { compactionSummary } from '../../../../src/providers/chat/compaction';
import { effectiveCapabilities, forgetRefusals } from '../../../../src/providers/chat/learned';
import { inspectJson, type ClientCall } from '../../../../src/providers/client-call';
import type { AttemptFailure } from '../../../../src/upstream/outcome';
import { itemsToEnd, scriptedUpstream } from '../../stream/scripted-upstream';

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const responsesCall = (doc: Record<string, unknown>): ClientCall => {
  const body = encode(doc);
  return { wire: 'responses', method: 'POST', apiPath: '/responses', search: '', body, json: inspectJson(body) };
};
const context: AnswerContext = { heartbeatMs: 1000, idleMs: 5000, maxEventBytes: 65536, host: 'api.example', redactor: Redactor.patterns };
const refusal = (message: string, param: string | null = null): AttemptFailure => ({
  kind: 'status',
  status: 400,
  error: { message, type: 'invalid_request_error', code: null, param, shape: 'json' },
  retryAfterMs: null,
});

afterEach(() => {
  forgetRefusals();
});

describe('chatAdapter', () => {
  const adapter = () => chatAdapter({ capabilities: DEFAULT_CHAT_CAPABILITIES, providerKey: 'p1' });

  it('serves Chat and (translated) Responses clients, not opaque routes', () => {
    expect([adapter().serves('chat'), adapter().serves('responses'), adapter().serves('opaque')]).toEqual([true, true, false]);
  });

  it('sends /v1/responses to /chat/completions as a chat request; holds a stream back until content', () => {
    const call = responsesCall({ model: 'gpt-test', stream: true, input: 'hi', store: false });
    const upstream = adapter().request(call, 'routed');
    expect(upstream.path).toBe('/chat/completions');
    expect(JSON.parse(new TextDecoder().decode(upstream.body ?? new Uint8Array()))).toEqual({
      model: 'routed',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(upstream.ready?.('data: {"choices":[{"delta":{"role":"assistant","content":""}}]}\n\n')).toBe(false);
  });

  it('relays /v1/chat/completions as it is', () => {
    const body = encode({ model: 'gpt-test', messages: [{ role: 'developer', content: 'x' }] });
    const call: ClientCall = { wire: 'chat', method: 'POST', apiPath: '/chat/completions', search: '', body, json: inspectJson(body) };
    const upstream = adapter().request(call, null);
    expect(upstream).toEqual({ path: '/chat/completions', body, ready: null });
    expect(adapter().notes?.(call)).toBeNull();
  });

  it('a 400 naming an optional field it sent: learned (per provider), and the next request goes without it', () => {
    const first = adapter();
    const call = responsesCall({ model: 'gpt-test', stream: true, input: 'hi' });
    first.request(call, null);
    expect(first.learn?.(call, refusal('Unrecognized request argument supplied: parallel_tool_calls'))).toBe(false); // not sent
    expect(first.learn?.(call, refusal("property 'stream_options' is unsupported", 'stream_options'))).toBe(true);
    expect(JSON.parse(new TextDecoder().decode(first.request(call, null).body ?? new Uint8Array()))).not.toHaveProperty('stream_options');
    expect(effectiveCapabilities(DEFAULT_CHAT_CAPABILITIES, 'p1').streamUsage).toBe(false);
    expect(effectiveCapabilities(DEFAULT_CHAT_CAPABILITIES, 'p2').streamUsage).toBe(true);
    expect(first.notes?.(call)?.log.refused_fields).toEqual(['stream_usage']);
  });

  it('other 400s teach nothing', () => {
    const a = adapter();
    const call = responsesCall({ model: 'gpt-test', stream: true, input: 'hi' });
    a.request(call, null);
    expect(a.learn?.(call, refusal("This model's maximum context length is 8192 tokens"))).toBe(false);
    expect(
      a.learn?.(call, {
        kind: 'status',
        status: 500,
        error: { message: 'stream_options', type: null, code: null, param: null, shape: 'json' },
        retryAfterMs: null,
      }),
    ).toBe(false);
  });

  it('notes dropped tools in a header and the log', () => {
    const a = adapter();
    const call = responsesCall({ model: 'gpt-test', stream: true, input: 'hi', tools: [{ type: 'web_search' }, { type: 'function', name: 'f' }] });
    a.request(call, null);
    expect(a.notes?.(call)).toEqual({
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'x-edge-dropped-tools': 'web_search' },
      log: { to: 'chat', dropped_tools: ['web_search'], changes: [], refused_fields: [] },
    });
  });

  it('names dropped tools of any type safely and boundedly: no line break reaches the header, 32 types at most', () => {
    const a = adapter();
    const tools = [{ type: 'x\r\nx-evil: 1' }, ...Array.from({ length: 40_000 }, (_, index) => ({ type: `hosted_${index}` }))];
    const call = responsesCall({ model: 'gpt-test', stream: true, input: 'hi', tools });
    a.request(call, null);
    const header = a.notes?.(call)?.headers['x-edge-dropped-tools'] ?? '';
    expect(header.split(', ')).toHaveLength(33);
    expect(header).toMatch(/^unnamed, hosted_0, .*, 39969 more$/);
    expect(() => new Headers({ 'x-edge-dropped-tools': header })).not.toThrow();
  });

  it('answers a JSON request with the Responses JSON', () => {
    const a = adapter();
    const call = responsesCall({ model: 'gpt-test', input: 'hi' });
    a.request(call, null);
    const completion = { id: 'c', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }] };
    const answer = a.answer(
      call,
      { status: 200, headers: new Headers({ 'content-type': 'application/json' }), body: { kind: 'buffered', bytes: encode(completion) } },
      context,
    );
    expect(answer.kind).toBe('bytes');
    if (answer.kind === 'bytes')
      expect(JSON.parse(new TextDecoder().decode(answer.bytes))).toMatchObject({
        object: 'response',
        status: 'completed',
        model: 'gpt-test',
        output_text: 'Hello',
      });
  });

  it("answers Codex's compaction request (input ending in compaction_trigger) with one compaction item holding the provider's text", () => {
    const a = adapter();
    const call = responsesCall({ model: 'gpt-test', input: [{ role: 'user', content: 'hi' }, { type: 'compaction_trigger' }] });
    a.request(call, null);
    const completion = {
      id: 'c',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'the summary' }, finish_reason: 'stop' }],
    };
    const answer = a.answer(
      call,
      { status: 200, headers: new Headers({ 'content-type': 'application/json' }), body: { kind: 'buffered', bytes: encode(completion) } },
      context,
    );
    if (answer.kind !== 'bytes') throw new Error(`a JSON answer, not ${answer.kind}`);
    const { output } = JSON.parse(new TextDecoder().decode(answer.bytes)) as { output: { type: string; encrypted_content: string }[] };
    expect(output.map((item) => item.type)).toEqual(['compaction']);
    expect(compactionSummary(output[0]?.encrypted_content)).toBe('the summary');
  });

  it('a stream whose answer grows past the context MAX_SSE_EVENT_BYTES ends with response.failed naming the setting and the host', async () => {
    const a = adapter();
    const call = responsesCall({ model: 'gpt-test', stream: true, input: 'hi' });
    a.request(call, null);
    const upstream = scriptedUpstream();
    const piece = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'x'.repeat(1000) } }] })}\n\n`;
    const answer = a.answer(
      call,
      {
        status: 200,
        headers: new Headers({ 'content-type': 'text/event-stream' }),
        body: { kind: 'sse', first: encode(piece.repeat(40)), reader: upstream.reader, pending: null },
      },
      context,
    );
    if (answer.kind !== 'events') throw new Error(`a translated stream, not ${answer.kind}`);
    const last = (await itemsToEnd(answer.source)).at(-1);
    expect(last).toMatchObject({ kind: 'end', end: 'too-large' });
    expect(JSON.parse(last?.kind === 'end' ? (last.closing?.data ?? '') : '')).toMatchObject({
      type: 'response.failed',
      response: {
        error: { code: 'invalid_prompt', message: expect.stringMatching(/larger than 65536 bytes .*MAX_SSE_EVENT_BYTES.*upstream api\.example/) as string },
      },
    });
    expect(upstream.cancelled()).toBe(true);
  });

  it('a streamed request answered by one JSON completion past MAX_SSE_EVENT_BYTES ends too-large, as a stream past it does', async () => {
    const a = adapter();
    const call = responsesCall({ model: 'gpt-test', stream: true, input: 'hi' });
    a.request(call, null);
    const completion = {
      id: 'c',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'x'.repeat(70_000) }, finish_reason: 'stop' }],
    };
    const answer = a.answer(
      call,
      { status: 200, headers: new Headers({ 'content-type': 'application/json' }), body: { kind: 'buffered', bytes: encode(completion) } },
      context,
    );
    if (answer.kind !== 'events') throw new Error(`translated events, not ${answer.kind}`);
    const items = await itemsToEnd(answer.source);
    expect(items.at(-1)).toMatchObject({ kind: 'end', end: 'too-large' });
    expect(items.flatMap((item) => (item.kind === 'events' ? item.events.map((event) => event.event) : []))).toContain('response.failed');
  });

  it('a body it cannot translate is a 502 naming the host', () => {
    const a = adapter();
    const call = responsesCall({ model: 'gpt-test', input: 'hi' });
    a.request(call, null);
    expect(() => a.answer(call, { status: 200, headers: new Headers({ 'content-type': 'text/plain' }), body: { kind: 'raw', stream: null } }, context)).toThrow(
      /upstream api\.example answered a Chat Completions request with a body of type text\/plain/,
    );
  });
});
