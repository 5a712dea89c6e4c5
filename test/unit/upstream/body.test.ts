/**
 * A stream's head: with its preamble held back, a stream cut before its first output event is
 * an attempt that failed (retried, invisible to the client); a slow first output event is held
 * for PREAMBLE_HOLD_MS at most, then the stream is committed with the read under way.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pastResponsesPreamble } from '../../../src/stream/terminal';
import { PREAMBLE_HOLD_MS, failedAnswer, successBody } from '../../../src/upstream/body';

const CAPS = { jsonBytes: 1024 };
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const CREATED = 'data: {"type":"response.created","response":{"id":"r"}}\n\n';
const ADDED = 'data: {"type":"response.output_item.added","item":{"type":"message"}}\n\n';

function sse(): { response: Response; send: (text: string) => void; cut: () => void } {
  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  return {
    response: new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
    send: (text) => controller?.enqueue(encode(text)),
    cut: () => controller?.error(new Error('Network connection lost.')),
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a stream head with its preamble held back', () => {
  it('commits once an output event has arrived, with the whole head', async () => {
    const upstream = sse();
    upstream.send(CREATED);
    const outcome = successBody(upstream.response, CAPS, pastResponsesPreamble, Date.now() + PREAMBLE_HOLD_MS);
    upstream.send(ADDED);
    const result = await outcome;
    expect(result.kind).toBe('body');
    if (result.kind === 'body' && result.body.kind === 'sse') expect(new TextDecoder().decode(result.body.first)).toBe(CREATED + ADDED);
  });

  it('a stream that ends during its preamble is empty: the attempt failed, nothing was committed', async () => {
    const upstream = sse();
    upstream.send(CREATED);
    const outcome = successBody(upstream.response, CAPS, pastResponsesPreamble, Date.now() + PREAMBLE_HOLD_MS);
    upstream.cut();
    await expect(outcome).rejects.toThrow('Network connection lost.');
  });

  it('a slow first output event is waited for PREAMBLE_HOLD_MS at most, then the stream is committed', async () => {
    const upstream = sse();
    upstream.send(CREATED);
    const outcome = successBody(upstream.response, CAPS, pastResponsesPreamble, Date.now() + PREAMBLE_HOLD_MS);
    await vi.advanceTimersByTimeAsync(PREAMBLE_HOLD_MS);
    const result = await outcome;
    expect(result.kind === 'body' && result.body.kind === 'sse' && result.body.pending !== null).toBe(true);
    upstream.send(ADDED);
    if (result.kind === 'body' && result.body.kind === 'sse') expect(await result.body.pending).toMatchObject({ done: false });
  });

  it('without a ready test the first chunk commits at once', async () => {
    const upstream = sse();
    upstream.send(CREATED);
    const result = await successBody(upstream.response, CAPS, null, Date.now() + PREAMBLE_HOLD_MS);
    expect(result.kind === 'body' && result.body.kind === 'sse' && result.body.pending === null).toBe(true);
  });
});

describe('a body in an encoding workerd left encoded', () => {
  const deflated = (contentType: string, status = 200): Response =>
    new Response(encode('x\x9c compressed bytes'), { status, headers: { 'content-type': contentType, 'content-encoding': 'deflate' } });

  it.each(['application/json', 'text/event-stream', 'text/plain', 'application/octet-stream'])('a 2xx %s is refused, unread', async (contentType) => {
    const response = deflated(contentType);
    expect(await successBody(response, CAPS, null, Date.now())).toEqual({ kind: 'failed', failure: { kind: 'undecodable', encoding: 'deflate' } });
    expect(response.bodyUsed).toBe(true);
  });

  it('an error body is named, not read', async () => {
    expect(await failedAnswer(deflated('application/json', 401))).toEqual({
      kind: 'status',
      status: 401,
      error: { message: 'a body in content-encoding "deflate", which the gateway does not read', type: null, code: null, param: null, shape: 'other' },
      retryAfterMs: null,
    });
  });
});
