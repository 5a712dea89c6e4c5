/**
 * Reads an upstream body in chunks as large as workerd has them: a default reader of a fetch
 * body hands out at most 4 KiB a read, a BYOB read fills what it is given (up to READ_BYTES, a
 * TLS record), so a relay wakes up several times less often for the same bytes. One buffer per body, reused;
 * each chunk is copied out at its own size (a chunk held or queued holds only its bytes). A body
 * that is not a byte stream is read with a default reader.
 */

/** What a relay needs of a body's reader. */
export interface ChunkReader {
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  cancel(reason?: unknown): Promise<void>;
}

/** The most one read brings. */
export const READ_BYTES = 16 * 1024;

export function chunkReader(body: ReadableStream<Uint8Array>): ChunkReader {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = body.getReader({ mode: 'byob' });
  } catch {
    return body.getReader();
  }
  let buffer = new Uint8Array(READ_BYTES);
  return {
    read: async () => {
      const result = await reader.read(buffer);
      if (result.done) return { done: true, value: undefined };
      buffer = new Uint8Array(result.value.buffer);
      return { done: false, value: result.value.slice() };
    },
    cancel: (reason) => reader.cancel(reason),
  };
}
