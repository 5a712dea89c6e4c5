import { describe, expect, it } from 'vitest';
import { collectBody, declaredLength } from '../../../src/stream/collect';

const bytes = (count: number): Uint8Array => new Uint8Array(count).fill(97);

/** A body whose length is not declared: read chunk by chunk. */
function streamed(...chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

describe('declaredLength', () => {
  it.each([
    [{ 'content-length': '12' }, 12],
    [{ 'content-length': '12', 'content-encoding': 'identity' }, 12],
    [{ 'content-length': '12', 'content-encoding': 'gzip' }, null],
    [{ 'content-length': '-1' }, null],
    [{ 'content-length': '1e3' }, null],
    [{}, null],
  ])('%j → %s', (headers, expected) => {
    expect(declaredLength(new Headers(headers))).toBe(expected);
  });
});

describe('collectBody', () => {
  it('reads a body of declared length within the cap whole', async () => {
    const { bytes: read, truncated } = await collectBody(new Response(bytes(10), { headers: { 'content-length': '10' } }), 10);
    expect([read.byteLength, truncated]).toEqual([10, false]);
  });

  it('reads a streamed body up to the cap, and says it was cut', async () => {
    const { bytes: read, truncated } = await collectBody(new Response(streamed(bytes(6), bytes(6))), 8);
    expect([read.byteLength, truncated]).toEqual([8, true]);
  });

  it('reads a streamed body within the cap to its end', async () => {
    const { bytes: read, truncated } = await collectBody(new Response(streamed(bytes(6), bytes(6))), 12);
    expect([read.byteLength, truncated]).toEqual([12, false]);
  });

  it('reads a body declared longer than the cap chunk by chunk, bounded', async () => {
    const { bytes: read, truncated } = await collectBody(new Response(streamed(bytes(20)), { headers: { 'content-length': '20' } }), 8);
    expect([read.byteLength, truncated]).toEqual([8, true]);
  });

  it('has no bytes for a message without a body', async () => {
    const { bytes: read, truncated } = await collectBody(new Request('http://x/', { method: 'GET' }), 8);
    expect([read.byteLength, truncated]).toEqual([0, false]);
  });
});
