import { describe, expect, it } from 'vitest';
import { whenEnded } from '../../../src/stream/ended';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function body(chunks: string[], error: Error | null = null): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(bytes(chunk));
      if (error === null) controller.close();
      else controller.error(error);
    },
  });
}

function watched(source: ReadableStream<Uint8Array>, signal = new AbortController().signal): { stream: ReadableStream<Uint8Array>; ends: boolean[] } {
  const ends: boolean[] = [];
  return { stream: whenEnded(source, signal, (failed) => ends.push(failed)), ends };
}

describe('whenEnded', () => {
  it('passes the bytes on and tells the end once, after the last byte', async () => {
    const { stream, ends } = watched(body(['a', 'b']));
    expect(await new Response(stream).text()).toBe('ab');
    expect(ends).toEqual([false]);
  });

  it('a body that breaks is a failed end', async () => {
    const { stream, ends } = watched(body(['a'], new Error('reset')));
    await expect(new Response(stream).text()).rejects.toThrow('reset');
    expect(ends).toEqual([true]);
  });

  it('a client that cancels, or whose signal aborts, ends it without failure, once', async () => {
    const cancelled = watched(body(['a', 'b']));
    await cancelled.stream.cancel();
    expect(cancelled.ends).toEqual([false]);

    const controller = new AbortController();
    const aborted = watched(body(['a']), controller.signal);
    controller.abort();
    await aborted.stream.cancel();
    expect(aborted.ends).toEqual([false]);
  });
});
