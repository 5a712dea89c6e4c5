/**
 * Every read of an upstream body goes through here, bounded: what kind of body an answer has,
 * and reading a whole one (an error body, a JSON answer) under a size cap, counted after
 * decompression. An error body is read up to ERROR_BODY_MAX_BYTES (enough to explain any
 * error; the rest is cancelled); a JSON answer over its cap is refused, never buffered.
 * Streams are handed on with their first bytes read, for the relay to read on.
 */
import { collect } from '../stream/collect';
import { parseUpstreamError } from './error-body';
import type { AttemptFailure } from './outcome';
import { retryHintMs } from './retry-hints';

export type UpstreamBody =
  | { readonly kind: 'sse'; readonly first: Uint8Array; readonly reader: ReadableStreamDefaultReader<Uint8Array> }
  | { readonly kind: 'buffered'; readonly bytes: Uint8Array }
  | { readonly kind: 'raw'; readonly stream: ReadableStream<Uint8Array> | null };

export type BodyOutcome = { readonly kind: 'body'; readonly body: UpstreamBody } | { readonly kind: 'failed'; readonly failure: AttemptFailure };

/** The caps on what the gateway reads whole from an upstream. */
export interface BodyCaps {
  /** A 2xx JSON answer (MAX_UPSTREAM_JSON_BYTES). */
  readonly jsonBytes: number;
}

/** The most of an error body the gateway reads. */
export const ERROR_BODY_MAX_BYTES = 16 * 1024;

function isJson(contentType: string | null): boolean {
  return /\bjson\b/i.test(contentType ?? '');
}

function isSse(contentType: string | null): boolean {
  return /text\/event-stream/i.test(contentType ?? '');
}

/** A non-2xx answer: a redirect (not followed), or its error body, read up to the cap, with any retry hint it carries. */
export async function failedAnswer(response: Response): Promise<AttemptFailure> {
  if (response.status >= 300 && response.status <= 399) {
    await response.body?.cancel().catch(() => undefined);
    return { kind: 'redirect', status: response.status, location: locationHost(response.headers.get('location'), response.url) };
  }
  const { bytes, truncated } = await collect(response.body, ERROR_BODY_MAX_BYTES);
  const error = parseUpstreamError(new TextDecoder().decode(bytes), response.headers.get('content-type'), truncated);
  const retryAfterMs = retryHintMs(response.headers, error.message, Date.now());
  return { kind: 'status', status: response.status, error, retryAfterMs };
}

/** A 2xx answer: a stream with its first bytes, a JSON body read whole within its cap, or anything else untouched. Empty → a failure. */
export async function successBody(response: Response, caps: BodyCaps): Promise<BodyOutcome> {
  const contentType = response.headers.get('content-type');
  if (isSse(contentType) && response.body !== null) {
    const reader = response.body.getReader();
    const first = await reader.read();
    return first.done ? { kind: 'failed', failure: { kind: 'empty' } } : { kind: 'body', body: { kind: 'sse', first: first.value, reader } };
  }
  if (isJson(contentType)) {
    const { bytes, truncated } = await collect(response.body, caps.jsonBytes);
    if (truncated)
      return { kind: 'failed', failure: { kind: 'oversized', what: 'a JSON answer', limitBytes: caps.jsonBytes, setting: 'MAX_UPSTREAM_JSON_BYTES' } };
    return bytes.byteLength === 0 ? { kind: 'failed', failure: { kind: 'empty' } } : { kind: 'body', body: { kind: 'buffered', bytes } };
  }
  return { kind: 'body', body: { kind: 'raw', stream: response.body } };
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
