/**
 * Reading a body in large chunks: every byte arrives once and in order, whatever sizes the body
 * comes in, and each chunk keeps only its own bytes alive (copied out of the reused buffer).
 */
import { describe, expect, it } from 'vitest';
import { chunkReader, GATHER_READS, READ_BYTES } from '../../../src/stream/chunk-reader';

/**
 * A byte stream that hands out `sizes` bytes per pull (values counting up), as a fetch body would;
 * each pull `apartMs` after the last one (0: at once), then its end or, with `fail`, an error.
 */
function byteBody(sizes: readonly number[], apartMs = 0, fail = false): ReadableStream<Uint8Array> {
  let next = 0;
  let index = 0;
  return new ReadableStream({
    type: 'bytes',
    async pull(controller) {
      if (apartMs > 0) await new Promise((resolve) => setTimeout(resolve, apartMs));
      const size = sizes[index];
      index += 1;
      if (size === undefined) {
        if (fail) {
          controller.error(new Error('connection lost'));
          return;
        }
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

  it('reads that resolve back to back are handed out as one chunk, at most GATHER_READS of them', async () => {
    const sizes = Array.from({ length: GATHER_READS + 10 }, () => 10);
    const chunks = await readAll(byteBody(sizes));
    expect(chunks.map((chunk) => chunk.byteLength)).toEqual([GATHER_READS * 10, 100]);
    expect(chunks.flatMap((chunk) => [...chunk])).toEqual(Array.from({ length: sizes.length * 10 }, (_, i) => i % 251));
  });

  it('bytes that come apart are handed out as they come, not held for the next ones', async () => {
    const reader = chunkReader(byteBody([5, 6, 7], 30));
    const started = Date.now();
    const first = await reader.read();
    expect(first.value?.byteLength).toBe(5);
    expect(Date.now() - started).toBeLessThan(55); // one pull's wait, not two
    expect((await reader.read()).value?.byteLength).toBe(6);
    expect((await reader.read()).value?.byteLength).toBe(7);
    expect((await reader.read()).done).toBe(true);
  });

  it('a body that breaks while reads are gathered: what came before is handed out first, then the failure', async () => {
    const reader = chunkReader(byteBody([3, 4], 0, true));
    expect((await reader.read()).value?.byteLength).toBe(7);
    await expect(reader.read()).rejects.toThrow('connection lost');
  });
});
