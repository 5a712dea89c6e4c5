/**
 * One upstream attempt: a fresh fetch() that ends as one outcome. The response counts as
 * started only once the gateway holds something it can commit to the client: a non-2xx answer
 * with its error body read, a JSON body read whole, or the first bytes of a stream. Until then
 * the attempt is bounded by one deadline, the headers timeout (a body trickled a byte at a
 * time does not extend it), and any failure can still be retried.
 */
import { failedAnswer, PREAMBLE_HOLD_MS, successBody, type BodyCaps, type StreamReady, type UpstreamBody } from './body';
import type { AttemptFailure } from './outcome';

export type { UpstreamBody };

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: UpstreamBody;
}

export type AttemptOutcome =
  { readonly kind: 'ok'; readonly response: UpstreamResponse } | { readonly kind: 'failed'; readonly failure: AttemptFailure } | { readonly kind: 'cancelled' };

export interface AttemptRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: Uint8Array | null;
  /** For a stream whose preamble is held back: when its head holds something the client must see. */
  readonly ready?: StreamReady | null;
}

export interface AttemptTimeouts {
  readonly headersMs: number;
}

export type Fetcher = (input: string, init: RequestInit) => Promise<Response>;

class AttemptTimeout extends Error {}

export async function attempt(
  request: AttemptRequest,
  timeouts: AttemptTimeouts,
  caps: BodyCaps,
  client: AbortSignal,
  fetcher: Fetcher,
): Promise<AttemptOutcome> {
  if (client.aborted) return { kind: 'cancelled' };
  const started = Date.now();
  const controller = new AbortController();
  const onClientGone = (): void => controller.abort(client.reason);
  client.addEventListener('abort', onClientGone);
  const timer = setTimeout(() => {
    controller.abort(new AttemptTimeout());
  }, timeouts.headersMs);
  let phase: 'headers' | 'body' = 'headers';
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
    phase = 'body';
    if (response.status < 200 || response.status > 299) {
      const failure = await failedAnswer(response);
      done();
      return { kind: 'failed', failure };
    }
    // A stream's preamble is held back for PREAMBLE_HOLD_MS at most, and commits well before the deadline.
    const holdUntil = Math.min(Date.now() + PREAMBLE_HOLD_MS, started + timeouts.headersMs * 0.9);
    const outcome = await successBody(response, caps, request.ready ?? null, holdUntil);
    // A body still being read (a stream, a raw body) keeps the client signal attached: it cancels the body later.
    if (outcome.kind === 'body' && outcome.body.kind !== 'buffered') clearTimeout(timer);
    else done();
    return outcome.kind === 'failed' ? outcome : { kind: 'ok', response: { status: response.status, headers: response.headers, body: outcome.body } };
  } catch (err) {
    done();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the client may have gone while we awaited
    if (client.aborted) return { kind: 'cancelled' };
    if (controller.signal.reason instanceof AttemptTimeout) {
      return { kind: 'failed', failure: { kind: 'timeout', afterMs: timeouts.headersMs, phase } };
    }
    return { kind: 'failed', failure: { kind: 'transport', message: err instanceof Error ? err.message : String(err), phase } };
  }
}
