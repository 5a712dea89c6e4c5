/**
 * Every read of an upstream body goes through here, bounded: what kind of body an answer has,
 * and reading a whole one (an error body, a JSON answer) under a size cap, counted after
 * decompression. An error body is read up to ERROR_BODY_MAX_BYTES (enough to explain any
 * error; the rest is cancelled); a JSON answer over its cap is refused, never buffered. A body
 * in an encoding workerd leaves encoded (encoding.ts) is never read: a 2xx one is refused.
 * Streams are handed on with their first bytes read, for the relay to read on.
 */
import { concatBytes } from '../core/encoding';
import { chunkReader, type ChunkReader } from '../stream/chunk-reader';
import { collectBody } from '../stream/collect';
import { undecodedEncoding } from './encoding';
import { parseUpstreamError } from './error-body';
import type { AttemptFailure, UpstreamError } from './outcome';
import { retryHintMs } from './retry-hints';

export type UpstreamBody =
  /** A stream: its head (read before committing), the reader to go on with, and a read already under way, if any. */
  | {
      readonly kind: 'sse';
      readonly first: Uint8Array;
      readonly reader: ChunkReader;
      readonly pending: Promise<ReadableStreamReadResult<Uint8Array>> | null;
    }
  | { readonly kind: 'buffered'; readonly bytes: Uint8Array }
  | { readonly kind: 'raw'; readonly stream: ReadableStream<Uint8Array> | null };

export type BodyOutcome = { readonly kind: 'body'; readonly body: UpstreamBody } | { readonly kind: 'failed'; readonly failure: AttemptFailure };

/** The caps on what the gateway reads whole from an upstream. */
export interface BodyCaps {
  /** A 2xx JSON answer (MAX_UPSTREAM_JSON_BYTES). */
  readonly jsonBytes: number;
}

/**
 * Whether a stream's head holds something the client must see (for a Responses stream: an event
 * past `response.created` / `response.in_progress`). Until it does, nothing is committed, so a
 * stream cut during its preamble is still an attempt that failed, and is retried invisibly.
 */
export type StreamReady = (head: string) => boolean;

/** How long a stream's preamble is held back at most (and never past the attempt's deadline), and how much of it. */
export const PREAMBLE_HOLD_MS = 1_000;
const PREAMBLE_HOLD_BYTES = 64 * 1024;

const utf8 = new TextDecoder();

/** The most of an error body the gateway reads. */
export const ERROR_BODY_MAX_BYTES = 16 * 1024;

function isJson(contentType: string | null): boolean {
  return /\bjson\b/i.test(contentType ?? '');
}

function isSse(contentType: string | null): boolean {
  return /text\/event-stream/i.test(contentType ?? '');
}

/** A body the gateway will not read: cancelled, unread. */
async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/** A non-2xx answer: a redirect (not followed), or its error body, read up to the cap, with any retry hint it carries. */
export async function failedAnswer(response: Response): Promise<AttemptFailure> {
  if (response.status >= 300 && response.status <= 399) {
    await discard(response);
    return { kind: 'redirect', status: response.status, location: locationHost(response.headers.get('location'), response.url) };
  }
  const error = await errorOf(response);
  const retryAfterMs = retryHintMs(response.headers, error.message, Date.now());
  return { kind: 'status', status: response.status, error, retryAfterMs };
}

/** The error a non-2xx body holds, read up to the cap; a body in an encoding workerd left encoded is named, not read. */
async function errorOf(response: Response): Promise<UpstreamError> {
  const encoding = undecodedEncoding(response.headers);
  if (encoding !== null) {
    await discard(response);
    return { message: `a body in content-encoding "${encoding}", which the gateway does not read`, type: null, code: null, param: null, shape: 'other' };
  }
  const { bytes, truncated } = await collectBody(response, ERROR_BODY_MAX_BYTES);
  return parseUpstreamError(utf8.decode(bytes), response.headers.get('content-type'), truncated);
}

/**
 * A 2xx answer: a stream with its head (its first bytes, or with `ready` its preamble), a JSON
 * body read whole within its cap, or anything else untouched. Empty, or in an encoding workerd
 * left encoded → a failure.
 */
export async function successBody(response: Response, caps: BodyCaps, ready: StreamReady | null, holdUntil: number): Promise<BodyOutcome> {
  const encoding = undecodedEncoding(response.headers);
  if (encoding !== null) {
    await discard(response);
    return { kind: 'failed', failure: { kind: 'undecodable', encoding } };
  }
  const contentType = response.headers.get('content-type');
  if (isSse(contentType) && response.body !== null) return streamHead(chunkReader(response.body as ReadableStream<Uint8Array>), ready, holdUntil);
  if (isJson(contentType)) {
    const { bytes, truncated } = await collectBody(response, caps.jsonBytes);
    if (truncated)
      return { kind: 'failed', failure: { kind: 'oversized', what: 'a JSON answer', limitBytes: caps.jsonBytes, setting: 'MAX_UPSTREAM_JSON_BYTES' } };
    return bytes.byteLength === 0 ? { kind: 'failed', failure: { kind: 'empty' } } : { kind: 'body', body: { kind: 'buffered', bytes } };
  }
  return { kind: 'body', body: { kind: 'raw', stream: response.body } };
}

/** How much of the text before a read is searched again with it: more than any mark `ready` looks for. */
const READY_OVERLAP_CHARS = 256;

/** Reads a stream's head; a stream that ends before it holds anything the client must see is empty (and retried). */
async function streamHead(reader: ChunkReader, ready: StreamReady | null, holdUntil: number): Promise<BodyOutcome> {
  const first = await reader.read();
  if (first.done) return { kind: 'failed', failure: { kind: 'empty' } };
  const holdMs = holdUntil - Date.now();
  if (ready === null || holdMs <= 0) return { kind: 'body', body: { kind: 'sse', first: first.value, reader, pending: null } };
  // Each read decoded on its own (a decoder's streaming mode is far slower in workerd): a character
  // cut between two reads decodes as U+FFFD, and the ASCII that `ready` looks for is never touched.
  // What `ready` has not seen whole: the newest read, after the end of those before it (a mark may straddle two reads).
  // Only that is searched again: the whole head searched per read was quadratic in a trickle of small reads.
  let unseen = utf8.decode(first.value);
  // A head that is ready at once (a provider's first TCP slice) needs no hold, nor its timer.
  if (ready(unseen)) return { kind: 'body', body: { kind: 'sse', first: first.value, reader, pending: null } };
  const chunks = [first.value];
  let size = first.value.byteLength;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const hold = new Promise<'hold-over'>((resolve) => {
    timer = setTimeout(() => {
      resolve('hold-over');
    }, holdMs);
  });
  try {
    // Not ready yet (checked above): read on until it is, or the hold's bytes are all in.
    while (size < PREAMBLE_HOLD_BYTES) {
      const pending = reader.read();
      const next = await Promise.race([pending, hold]);
      if (next === 'hold-over') {
        // Held long enough: commit, and hand the read under way to the relay.
        pending.catch(() => undefined);
        return { kind: 'body', body: { kind: 'sse', first: concatBytes(chunks, size), reader, pending } };
      }
      if (next.done) return { kind: 'failed', failure: { kind: 'empty' } };
      chunks.push(next.value);
      size += next.value.byteLength;
      unseen = unseen.slice(-READY_OVERLAP_CHARS) + utf8.decode(next.value);
      if (ready(unseen)) break;
    }
    return { kind: 'body', body: { kind: 'sse', first: concatBytes(chunks, size), reader, pending: null } };
  } finally {
    clearTimeout(timer);
  }
}

/** Where a redirect pointed (its host only: a Location may carry a token in its query). */
function locationHost(location: string | null, base: string): string | null {
  if (location === null) return null;
  try {
    return new URL(location, base || undefined).host;
  } catch {
    return null;
  }
}
