/**
 * One upstream attempt: a fresh fetch() that ends as one outcome. The response counts as
 * started only once the gateway holds something it can commit to the client: a non-2xx answer
 * with its error body read, a JSON body read whole, or the first bytes of a stream. Until then
 * the attempt is bounded by the headers timeout, and any failure can still be retried.
 */
import { collect } from '../stream/collect';
import { parseUpstreamError } from './error-body';
import type { AttemptFailure } from './outcome';
import { retryHintMs } from './retry-hints';

export type UpstreamBody =
  | { readonly kind: 'sse'; readonly first: Uint8Array; readonly reader: ReadableStreamDefaultReader<Uint8Array> }
  | { readonly kind: 'buffered'; readonly bytes: Uint8Array }
  | { readonly kind: 'raw'; readonly stream: ReadableStream<Uint8Array> | null };

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: UpstreamBody;
}

export type AttemptOutcome =
  | { readonly kind: 'ok'; readonly response: UpstreamResponse }
  | { readonly kind: 'failed'; readonly failure: AttemptFailure }
  | { readonly kind: 'cancelled' };

export interface AttemptRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: Uint8Array | null;
}

export interface AttemptTimeouts {
  readonly headersMs: number;
  readonly streamIdleMs: number;
}

export type Fetcher = (input: string, init: RequestInit) => Promise<Response>;

class AttemptTimeout extends Error {}

function isJson(contentType: string | null): boolean {
  return /\bjson\b/i.test(contentType ?? '');
}

function isSse(contentType: string | null): boolean {
  return /text\/event-stream/i.test(contentType ?? '');
}

export async function attempt(request: AttemptRequest, timeouts: AttemptTimeouts, client: AbortSignal, fetcher: Fetcher): Promise<AttemptOutcome> {
  if (client.aborted) return { kind: 'cancelled' };
  const controller = new AbortController();
  const onClientGone = (): void => controller.abort(client.reason);
  client.addEventListener('abort', onClientGone);
  let armedMs = timeouts.headersMs;
  let timer = setTimeout(() => controller.abort(new AttemptTimeout()), armedMs);
  /** Once the headers are in, a body read is bounded by the idle timeout between chunks. */
  const rearm = (): void => {
    clearTimeout(timer);
    armedMs = timeouts.streamIdleMs;
    timer = setTimeout(() => controller.abort(new AttemptTimeout()), armedMs);
  };
  const done = (): void => {
    clearTimeout(timer);
    client.removeEventListener('abort', onClientGone);
  };
  try {
    const response = await fetcher(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
      redirect: 'manual',
    });
    const contentType = response.headers.get('content-type');
    if (response.status < 200 || response.status > 299) {
      const text = new TextDecoder().decode(await collect(response.body, rearm));
      done();
      const error = parseUpstreamError(text, contentType);
      const retryAfterMs = retryHintMs(response.headers, error.message, Date.now());
      return { kind: 'failed', failure: { kind: 'status', status: response.status, error, retryAfterMs } };
    }
    if (isSse(contentType) && response.body !== null) {
      const reader = response.body.getReader();
      const first = await reader.read();
      if (first.done) {
        done();
        return { kind: 'failed', failure: { kind: 'empty' } };
      }
      clearTimeout(timer); // the client signal stays attached: it cancels the stream later
      return { kind: 'ok', response: { status: response.status, headers: response.headers, body: { kind: 'sse', first: first.value, reader } } };
    }
    if (isJson(contentType)) {
      const bytes = await collect(response.body, rearm);
      done();
      if (bytes.byteLength === 0) return { kind: 'failed', failure: { kind: 'empty' } };
      return { kind: 'ok', response: { status: response.status, headers: response.headers, body: { kind: 'buffered', bytes } } };
    }
    clearTimeout(timer);
    return { kind: 'ok', response: { status: response.status, headers: response.headers, body: { kind: 'raw', stream: response.body } } };
  } catch (err) {
    done();
    if (client.aborted) return { kind: 'cancelled' };
    if (controller.signal.reason instanceof AttemptTimeout) {
      return { kind: 'failed', failure: { kind: 'timeout', afterMs: armedMs } };
    }
    return { kind: 'failed', failure: { kind: 'transport', message: err instanceof Error ? err.message : String(err) } };
  }
}
