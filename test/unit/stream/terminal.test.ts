import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../../src/stream/sse';
import { pastResponsesPreamble, watchStream, type EventMeaning, type WireApi } from '../../../src/stream/terminal';

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
