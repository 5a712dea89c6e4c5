import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../../src/stream/sse';
import { failureOf, pastResponsesPreamble, watchStream, type EventMeaning, type WireApi } from '../../../src/stream/terminal';

const ev = (data: string, type: string | null = null) => parseEvent(`${type === null ? '' : `event: ${type}\n`}data: ${data}`);

describe('terminal events', () => {
  it.each<[WireApi, string, EventMeaning]>([
    ['responses', '{"type":"response.created","response":{"id":"r1"}}', 'progress'],
    ['responses', '{"type":"response.output_text.delta","delta":"x"}', 'progress'],
    ['responses', '{"type":"response.completed","response":{"id":"r1"}}', 'end'],
    ['responses', '{"type":"response.failed","response":{"id":"r1"}}', 'end'],
    ['responses', '{"type":"response.incomplete","response":{"id":"r1"}}', 'end'],
    ['responses', '{"type":"error","code":"x"}', 'progress'],
    ['responses', 'not json', 'progress'],
    ['chat', '{"choices":[{"delta":{"content":"x"},"finish_reason":null}]}', 'progress'],
    ['chat', '{"choices":[{"delta":{},"finish_reason":"stop"}]}', 'may-end'],
    ['chat', '{"choices":[{"delta":{"content":"x"},"finish_reason":""}]}', 'progress'],
    ['chat', '{"choices":[{"delta":{},"finish_reason":"stop"}],"error":null}', 'may-end'],
    ['chat', '{"error":null,"choices":[{"delta":{"content":"x"},"finish_reason":null}]}', 'progress'],
    ['chat', '[DONE]', 'end'],
    ['chat', '{"error":{"message":"boom"}}', 'end'],
    ['opaque', '[DONE]', 'progress'],
  ])('%s: %s → %s', (wire, data, expected) => {
    expect(watchStream(wire).observe(ev(data))).toBe(expected);
  });
});

describe('closing a stream that did not end', () => {
  it('responses: response.failed with the response id, next sequence number and a retryable code', () => {
    const watch = watchStream('responses');
    watch.observe(ev('{"type":"response.created","sequence_number":0,"response":{"id":"resp_1","model":"gpt-x"}}'));
    watch.observe(ev('{"type":"response.output_text.delta","sequence_number":4}'));
    const closing = watch.closing('the upstream broke');
    expect(closing).not.toBeNull();
    const event = parseEvent((closing?.text ?? '').trim());
    expect(event.event).toBe('response.failed');
    expect(JSON.parse(event.data ?? '')).toMatchObject({
      type: 'response.failed',
      sequence_number: 5,
      response: { id: 'resp_1', model: 'gpt-x', status: 'failed', error: { code: 'server_error', message: 'the upstream broke' } },
    });
    expect(watch.closing('again')).toBeNull();
  });

  it('responses: nothing is added after a terminal event', () => {
    const watch = watchStream('responses');
    watch.observe(ev('{"type":"response.completed","response":{"id":"r"}}'));
    expect(watch.closing('late')).toBeNull();
  });

  it.each<[string, string[], string | null]>([
    ['chat cut mid-answer: an error chunk', ['{"choices":[{"delta":{"content":"x"}}]}'], 'error'],
    ['chat after finish_reason: [DONE]', ['{"choices":[{"delta":{},"finish_reason":"stop"}]}'], '[DONE]'],
    [
      'chat whose chunks say finish_reason "" (older Ollama), cut mid-answer: an error chunk',
      ['{"choices":[{"delta":{"content":"x"},"finish_reason":""}]}'],
      'error',
    ],
    ['chat after [DONE]: nothing', ['[DONE]'], null],
  ])('%s', (_name, datas, expected) => {
    const watch = watchStream('chat');
    for (const data of datas) watch.observe(ev(data));
    const closing = watch.closing('broke');
    if (expected === null) expect(closing).toBeNull();
    else expect(closing?.text).toContain(expected);
  });

  it('opaque streams cannot be repaired', () => {
    expect(watchStream('opaque').closing('broke')).toBeNull();
  });
});

describe('pastResponsesPreamble', () => {
  it.each<[string, string, boolean]>([
    ['nothing yet', '', false],
    ['response.created only', 'data: {"type":"response.created","response":{"id":"r","status":"in_progress","tools":[{"type":"function"}]}}\n\n', false],
    ['created and in_progress', 'data: {"type":"response.created"}\n\ndata: {"type":"response.in_progress"}\n\n', false],
    ['the first output item', 'data: {"type":"response.created"}\n\ndata: {"type":"response.output_item.added","item":{"type":"message"}}\n\n', true],
    ['a failure in the stream', 'data: {"type":"response.failed","response":{}}\n\n', true],
  ])('%s → %s', (_name, head, expected) => {
    expect(pastResponsesPreamble(head)).toBe(expected);
  });
});

describe('what a stream reports of itself', () => {
  const USAGE = {
    input_tokens: 120,
    output_tokens: 30,
    total_tokens: 150,
    input_tokens_details: { cached_tokens: 100 },
    output_tokens_details: { reasoning_tokens: 12 },
  };
  const TOKENS = { input: 120, output: 30, total: 150, cached: 100, reasoning: 12 };
  const completed = (response: Record<string, unknown>) =>
    JSON.stringify({ type: 'response.completed', sequence_number: 9, response: { id: 'r', ...response } });

  it.each<[string, WireApi, string[], boolean, ReturnType<ReturnType<typeof watchStream>['report']>]>([
    ['responses: the usage of response.completed', 'responses', [completed({ usage: USAGE })], false, { usage: TOKENS, failed: false, failure: null }],
    [
      'responses: the usage of a completed event too large to parse (its tail is read)',
      'responses',
      [
        completed({
          instructions: 'x'.repeat(200_000),
          output: [{ type: 'message', content: [{ type: 'output_text', text: '"usage": {"input_tokens": 1, "output_tokens": 1}' }] }],
          usage: USAGE,
          metadata: {},
        }),
      ],
      false,
      { usage: TOKENS, failed: false, failure: null },
    ],
    [
      'responses: response.failed is a failure, with its usage',
      'responses',
      [JSON.stringify({ type: 'response.failed', response: { id: 'r', usage: USAGE } })],
      false,
      { usage: TOKENS, failed: true, failure: null },
    ],
    [
      'responses: response.failed says why',
      'responses',
      [JSON.stringify({ type: 'response.failed', response: { id: 'r', error: { code: 'context_length_exceeded', message: 'too long' } } })],
      false,
      { usage: null, failed: true, failure: { code: 'context_length_exceeded', message: 'too long' } },
    ],
    [
      'responses: an error on a completed response is no failure',
      'responses',
      [completed({ error: { code: 'x', message: 'y' } })],
      false,
      { usage: null, failed: false, failure: null },
    ],
    ['responses: no usage given', 'responses', [completed({ usage: null })], false, { usage: null, failed: false, failure: null }],
    [
      'responses: a stream the gateway closed is a failure',
      'responses',
      ['{"type":"response.created","response":{"id":"r"}}'],
      true,
      { usage: null, failed: true, failure: { code: 'server_error', message: 'broke' } },
    ],
    [
      'chat: the usage chunk (include_usage)',
      'chat',
      [
        '{"choices":[{"delta":{"content":"hi"},"finish_reason":null}],"usage":null}',
        '{"choices":[{"delta":{},"finish_reason":"stop"}],"usage":null}',
        JSON.stringify({
          choices: [],
          usage: {
            prompt_tokens: 7,
            completion_tokens: 3,
            total_tokens: 10,
            prompt_tokens_details: { cached_tokens: 4 },
            completion_tokens_details: { reasoning_tokens: 1 },
          },
        }),
        '[DONE]',
      ],
      false,
      { usage: { input: 7, output: 3, total: 10, cached: 4, reasoning: 1 }, failed: false, failure: null },
    ],
    [
      'chat: usage on the finishing chunk',
      'chat',
      ['{"choices":[{"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":2,"completion_tokens":1}}'],
      false,
      { usage: { input: 2, output: 1, total: 3, cached: 0, reasoning: 0 }, failed: false, failure: null },
    ],
    [
      'chat: content that mentions usage is not usage',
      'chat',
      ['{"choices":[{"delta":{"content":"\\"usage\\": {\\"prompt_tokens\\": 1}"}}]}'],
      false,
      { usage: null, failed: false, failure: null },
    ],
    [
      'chat: without include_usage, nothing',
      'chat',
      ['{"choices":[{"delta":{},"finish_reason":"stop"}]}', '[DONE]'],
      false,
      { usage: null, failed: false, failure: null },
    ],
    [
      'chat: an error chunk is a failure',
      'chat',
      ['{"error":{"message":"boom"}}'],
      false,
      { usage: null, failed: true, failure: { code: null, message: 'boom' } },
    ],
    [
      'chat: "error": null is no failure',
      'chat',
      [
        '{"choices":[{"delta":{},"finish_reason":"stop"}],"error":null}',
        '{"choices":[],"usage":{"prompt_tokens":2,"completion_tokens":1},"error":null}',
        '[DONE]',
      ],
      false,
      { usage: { input: 2, output: 1, total: 3, cached: 0, reasoning: 0 }, failed: false, failure: null },
    ],
    [
      'chat: cut mid-answer, closed by the gateway with an error chunk',
      'chat',
      ['{"choices":[{"delta":{"content":"x"}}]}'],
      true,
      { usage: null, failed: true, failure: { code: 'server_error', message: 'broke' } },
    ],
    [
      'chat: finished, closed by the gateway with [DONE]: no failure',
      'chat',
      ['{"choices":[{"delta":{},"finish_reason":"stop"}]}'],
      true,
      { usage: null, failed: false, failure: null },
    ],
    ['opaque: nothing', 'opaque', ['{"usage":{"input_tokens":1,"output_tokens":1}}'], true, { usage: null, failed: false, failure: null }],
  ])('%s', (_name, wire, datas, close, expected) => {
    const watch = watchStream(wire);
    for (const data of datas) watch.observe(ev(data));
    if (close) watch.closing('broke');
    expect(watch.report()).toEqual(expected);
  });
});

describe('failureOf: what an error member says', () => {
  it.each<[string, unknown, ReturnType<typeof failureOf>]>([
    ['a code and a message', { code: 'rate_limit_exceeded', message: 'slow down' }, { code: 'rate_limit_exceeded', message: 'slow down' }],
    ['a numeric code (some Chat providers)', { code: 500, message: 'oops' }, { code: '500', message: 'oops' }],
    ['a message alone', { message: 'boom', code: null }, { code: null, message: 'boom' }],
    ['a bare message', 'upstream overloaded', { code: null, message: 'upstream overloaded' }],
    ['empty strings', { code: '', message: '' }, null],
    ['neither', { type: 'server_error' }, null],
    ['nothing', undefined, null],
    ['null', null, null],
  ])('%s', (_name, error, expected) => {
    expect(failureOf(error)).toEqual(expected);
  });
});
