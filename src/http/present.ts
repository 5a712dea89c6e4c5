/**
 * Pure: how a GatewayError is presented to a given client. One table decides status and
 * headers so that each client does the right thing the first time:
 * - transient errors carry Retry-After, retry-after-ms and `x-should-retry: true`;
 * - final errors carry `x-should-retry: false`; other clients get the status as it is, and Codex
 *   gets a status it stops on at once (FIELD-NOTES §1): 404 only with `error.code`
 *   `model_not_found`, 400 for every other final error (it retries 401, 405, 5xx and any other
 *   404 six times). The body is never changed, so the message still names the real status;
 * - a fallback (426 to a WebSocket handshake) is passed as it is;
 * - Codex is told to wait in the one way it waits exactly once and shows the message (measured
 *   with 0.169 and 0.171): on a Responses stream, a `response.failed` with code
 *   `rate_limit_exceeded` and "try again in Ns" first in its message (6 requests N s apart, then the message); on
 *   any other request a 429 with Retry-After. A 5xx would make it retry 30 times at once.
 */
import type { ClientProfile } from './client-profile';
import { errorDocument, type ErrorBody, type GatewayError } from '../core/errors';

/** Who is told: the client, and whether it is reading a Responses stream. */
export interface Audience {
  readonly profile: ClientProfile;
  readonly responsesStream: boolean;
}

export type PresentedError =
  | { readonly kind: 'json'; readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: { readonly error: ErrorBody } }
  /** A 200 stream whose one event is `response.failed` with this error. */
  | { readonly kind: 'failed-stream'; readonly headers: Readonly<Record<string, string>>; readonly error: ErrorBody };

/** The shortest wait a client is ever told. */
const MIN_CLIENT_WAIT_MS = 1000;
/** The longest: an upstream's hint past it (a year, a date in 9999) is not passed on as it is. */
export const MAX_CLIENT_WAIT_MS = 3_600_000;

export function presentError(err: GatewayError, audience: Audience): PresentedError {
  const { profile } = audience;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...err.headers };
  let status = err.status;
  switch (err.advice.kind) {
    case 'retry': {
      // Never "retry at once": a zero wait from an upstream would turn the client's retries into a burst.
      const waitMs = clientWaitMs(err.advice.afterMs);
      const seconds = Math.ceil(waitMs / 1000);
      headers['retry-after'] = String(seconds);
      headers['retry-after-ms'] = String(waitMs);
      headers['x-should-retry'] = 'true';
      if (profile !== 'codex') break;
      if (!audience.responsesStream) {
        status = 429;
        break;
      }
      // First: Codex waits the first "try again in" it finds (an upstream's "try again in 20ms" may follow), and a clip keeps the start.
      const message = `try again in ${Math.ceil(waitMs / 100) / 10}s: ${err.body.message}`;
      return {
        kind: 'failed-stream',
        headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
        error: { ...err.body, message, code: 'rate_limit_exceeded' },
      };
    }
    case 'final':
      headers['x-should-retry'] = 'false';
      if (profile === 'codex' && !codexStopsOn(status, err.body.code)) status = 400;
      break;
    case 'fallback':
      break;
  }
  return { kind: 'json', status, headers, body: errorDocument(err.body) };
}

/** The wait a client is told: at least 1 s, at most an hour, whatever the hint (a non-number is the shortest). */
function clientWaitMs(afterMs: number): number {
  return Number.isFinite(afterMs) ? Math.min(MAX_CLIENT_WAIT_MS, Math.max(MIN_CLIENT_WAIT_MS, Math.round(afterMs))) : MIN_CLIENT_WAIT_MS;
}

/** Whether Codex treats this answer as final: 400, or a 404 for a model it does not have. */
function codexStopsOn(status: number, code: string | null): boolean {
  return status === 400 || (status === 404 && code === 'model_not_found');
}
