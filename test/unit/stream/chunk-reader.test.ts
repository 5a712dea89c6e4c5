/**
 * Reading a body in large chunks: every byte arrives once and in order, whatever sizes the body
 * comes in, and each chunk keeps only its own bytes alive (copied out of the reused buffer).
 */
import { describe, expect, it } from 'vitest';
import { chunkReader, READ_BYTES } from '../../../src/stream/chunk-reader';

/** A byte stream that hands out `sizes` bytes per pull (values counting up), as a fetch body would. */
function byteBody(sizes: readonly number[]): ReadableStream<Uint8Array> {
  let next = 0;
  let index = 0;
  return new ReadableStream({
    type: 'bytes',
    pull(controller) {
      const size = sizes[index];
      index += 1;
      if (size === undefined) {
        controller.close();
        controller.byobRequest?.respond(0); // a BYOB read under way learns the stream is done
        return;
      }
      controller.enqueue(Uint8Array.from({ length: size }, () => next++ % 251));
    },
  });
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const reader = chunkReader(body);
  const chunks: Uint8Array[] = [];
  for (let result = await reader.read(); !result.done; result = await reader.read()) chunks.push(result.value);
  return chunks;
}

describe('chunkReader', () => {
  it.each([
    ['one full read', [READ_BYTES]],
    ['small reads', [10, 200, 3]],
    ['a read larger than the buffer', [READ_BYTES * 2 + 5]],
    ['half a buffer, then less', [READ_BYTES / 2, READ_BYTES / 2 - 1, 1]],
  ])('%s: every byte once, in order, each chunk holding only its own bytes', async (_name, sizes) => {
    const chunks = await readAll(byteBody(sizes));
    const bytes = chunks.flatMap((chunk) => [...chunk]);
    const total = sizes.reduce((sum, size) => sum + size, 0);
    expect(bytes).toEqual(Array.from({ length: total }, (_, i) => i % 251));
    for (const chunk of chunks) expect(chunk.buffer.byteLength).toBe(chunk.byteLength);
  });

  it('a chunk handed out is not overwritten by the reads after it', async () => {
    const reader = chunkReader(byteBody([READ_BYTES, 5, READ_BYTES]));
    const held = [];
    for (let result = await reader.read(); !result.done; result = await reader.read()) held.push({ chunk: result.value, copy: result.value.slice() });
    for (const { chunk, copy } of held) expect(chunk).toEqual(copy);
  });
});
