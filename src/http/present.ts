/**
 * Pure: how a GatewayError is presented to a given client. One table decides status and
 * headers so that each client does the right thing the first time:
 * - transient errors carry Retry-After, retry-after-ms and `x-should-retry: true`;
 * - final errors carry `x-should-retry: false`; other clients get the status as it is, and Codex
 *   gets a status it stops on at once (FIELD-NOTES §1): 404 only with `error.code`
 *   `model_not_found`, 400 for every other final error (it retries 401, 405, 5xx and any other
 *   404 six times). The body is never changed, so the message still names the real status;
 * - a fallback (426 to a WebSocket handshake) is passed as it is.
 */
import type { ClientProfile } from './client-profile';
import { errorDocument, type ErrorBody, type GatewayError } from '../core/errors';

export interface PresentedError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: { readonly error: ErrorBody };
}

/** The shortest wait a client is ever told. */
const MIN_CLIENT_WAIT_MS = 1000;

export function presentError(err: GatewayError, profile: ClientProfile): PresentedError {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...err.headers };
  let status = err.status;
  switch (err.advice.kind) {
    case 'retry': {
      // Never "retry at once": a zero wait from an upstream would turn the client's retries into a burst.
      const waitMs = Math.max(MIN_CLIENT_WAIT_MS, Math.round(err.advice.afterMs));
      const seconds = Math.ceil(waitMs / 1000);
      headers['retry-after'] = String(seconds);
      headers['retry-after-ms'] = String(waitMs);
      headers['x-should-retry'] = 'true';
      break;
    }
    case 'final':
      headers['x-should-retry'] = 'false';
      if (profile === 'codex' && !codexStopsOn(status, err.body.code)) status = 400;
      break;
    case 'fallback':
      break;
  }
  return { status, headers, body: errorDocument(err.body) };
}

/** Whether Codex treats this answer as final: 400, or a 404 for a model it does not have. */
function codexStopsOn(status: number, code: string | null): boolean {
  return status === 400 || (status === 404 && code === 'model_not_found');
}
