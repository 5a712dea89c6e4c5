/**
 * Reads an upstream body in chunks as large as workerd has them: a default reader of a fetch
 * body hands out at most 4 KiB a read, a BYOB read fills what it is given (up to READ_BYTES, a
 * TLS record), so a relay wakes up several times less often for the same bytes. One buffer per body, reused;
 * each chunk is copied out at its own size (a chunk held or queued holds only its bytes). A body
 * that is not a byte stream is read with a default reader.
 *
 * A read also gathers what is already there: workerd's chunked decoder hands out one HTTP chunk a
 * read, so a provider that writes each event on its own (one chunk an event) means a read per
 * event, and a relay that hands each read on writes the client an HTTP chunk per read too, the
 * larger part of its CPU. So once a read has brought something, the next one is started at once,
 * and taken into the same chunk if it resolves before workerd's event loop next waits for I/O
 * (a 0 ms timer, which workerd fires only then); so while bytes keep arriving back to back they go
 * out together (at most GATHER_READS reads, GATHER_BYTES bytes), and a stream whose bytes come
 * one at a time is handed on as soon as they come. A read that ends or fails the body while
 * gathering is kept for the next call, so what was gathered goes out first.
 */
import { concatBytes } from '../core/encoding';

/** What a relay needs of a body's reader. */
export interface ChunkReader {
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  cancel(reason?: unknown): Promise<void>;
}

/** The most one read brings. */
export const READ_BYTES = 16 * 1024;
/** The most reads gathered into one chunk... */
export const GATHER_READS = 64;
/** ...and about the most bytes (the read that reaches it is kept). */
export const GATHER_BYTES = 64 * 1024;

type Read = ReadableStreamReadResult<Uint8Array>;
const IDLE = Symbol('idle');
const FAILED = Symbol('failed');

/** Resolves once workerd's event loop has nothing else ready to run (a 0 ms timer); `stop` clears it. */
function whenIdle(): { readonly idle: Promise<typeof IDLE>; readonly stop: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const idle = new Promise<typeof IDLE>((resolve) => (timer = setTimeout(() => resolve(IDLE), 0)));
  return { idle, stop: () => clearTimeout(timer) };
}

export function chunkReader(body: ReadableStream<Uint8Array>): ChunkReader {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = body.getReader({ mode: 'byob' });
  } catch {
    return body.getReader();
  }
  let buffer = new Uint8Array(READ_BYTES);
  /** A read started while gathering and not taken: the next call's. */
  let pending: Promise<Read> | null = null;
  const readOnce = async (): Promise<Read> => {
    const result = await reader.read(buffer);
    if (result.done) return { done: true, value: undefined };
    buffer = new Uint8Array(result.value.buffer);
    return { done: false, value: result.value.slice() };
  };
  return {
    read: async () => {
      const first = await (pending ?? readOnce());
      pending = null;
      if (first.done) return first;
      const pieces = [first.value];
      let size = first.value.byteLength;
      const { idle, stop } = whenIdle();
      while (pieces.length < GATHER_READS && size < GATHER_BYTES) {
        const next = readOnce();
        const raced = await Promise.race([next.catch((): typeof FAILED => FAILED), idle]);
        if (raced === IDLE || raced === FAILED || raced.done) {
          pending = next;
          break;
        }
        pieces.push(raced.value);
        size += raced.value.byteLength;
      }
      stop();
      return { done: false, value: concatBytes(pieces, size) };
    },
    cancel: (reason) => reader.cancel(reason),
  };
}
