/**
 * Every read of an upstream body goes through here: what kind of body an answer has, and
 * reading a whole one (an error body, a JSON answer) under the attempt's deadline. Streams are
 * handed on with their first bytes read, for the relay to read on. Caps and deadlines on what
 * an upstream may send belong in this module.
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

function isJson(contentType: string | null): boolean {
  return /\bjson\b/i.test(contentType ?? '');
}

function isSse(contentType: string | null): boolean {
  return /text\/event-stream/i.test(contentType ?? '');
}

/** A non-2xx answer: its error body read whole, with any retry hint it carries. */
export async function failedAnswer(response: Response, onChunk: () => void): Promise<AttemptFailure> {
  const text = new TextDecoder().decode(await collect(response.body, onChunk));
  const error = parseUpstreamError(text, response.headers.get('content-type'));
  const retryAfterMs = retryHintMs(response.headers, error.message, Date.now());
  return { kind: 'status', status: response.status, error, retryAfterMs };
}

/** A 2xx answer: a stream with its first bytes, a JSON body read whole, or anything else untouched. Empty → a failure. */
export async function successBody(response: Response, onChunk: () => void): Promise<BodyOutcome> {
  const contentType = response.headers.get('content-type');
  if (isSse(contentType) && response.body !== null) {
    const reader = response.body.getReader();
    const first = await reader.read();
    return first.done ? { kind: 'failed', failure: { kind: 'empty' } } : { kind: 'body', body: { kind: 'sse', first: first.value, reader } };
  }
  if (isJson(contentType)) {
    const bytes = await collect(response.body, onChunk);
    return bytes.byteLength === 0 ? { kind: 'failed', failure: { kind: 'empty' } } : { kind: 'body', body: { kind: 'buffered', bytes } };
  }
  return { kind: 'body', body: { kind: 'raw', stream: response.body } };
}
