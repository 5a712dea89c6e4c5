/**
 * One upstream attempt: a fresh fetch() that ends as one outcome. The response counts as
 * started only once the gateway holds something it can commit to the client: a non-2xx answer
 * with its error body read, a JSON body read whole, or the first bytes of a stream. Until then
 * the attempt is bounded by the headers timeout, and any failure can still be retried.
 */
import { failedAnswer, successBody, type UpstreamBody } from './body';
import type { AttemptFailure } from './outcome';

export type { UpstreamBody };

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
    if (response.status < 200 || response.status > 299) {
      const failure = await failedAnswer(response, rearm);
      done();
      return { kind: 'failed', failure };
    }
    const outcome = await successBody(response, rearm);
    // A body still being read (a stream, a raw body) keeps the client signal attached: it cancels the body later.
    if (outcome.kind === 'body' && outcome.body.kind !== 'buffered') clearTimeout(timer);
    else done();
    return outcome.kind === 'failed' ? outcome : { kind: 'ok', response: { status: response.status, headers: response.headers, body: outcome.body } };
  } catch (err) {
    done();
    if (client.aborted) return { kind: 'cancelled' };
    if (controller.signal.reason instanceof AttemptTimeout) {
      return { kind: 'failed', failure: { kind: 'timeout', afterMs: armedMs } };
    }
    return { kind: 'failed', failure: { kind: 'transport', message: err instanceof Error ? err.message : String(err) } };
  }
}
