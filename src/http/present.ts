/**
 * Pure: how a GatewayError is presented to a given client. One table decides status and
 * headers so that each client does the right thing the first time:
 * - transient errors carry Retry-After, retry-after-ms and `x-should-retry: true`;
 * - final errors carry `x-should-retry: false`, and Codex (which retries 401, 405, 5xx)
 *   gets a status it treats as final (400, or 404 for a 404) with the cause in the message.
 */
import type { ClientProfile } from './client-profile';
import { errorDocument, type ErrorBody, type GatewayError } from '../core/errors';

export interface PresentedError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: { readonly error: ErrorBody };
}

/** Statuses Codex stops on at once; every other final status is presented to Codex as 400. */
const CODEX_FINAL_STATUSES: ReadonlySet<number> = new Set([400, 404]);

export function presentError(err: GatewayError, profile: ClientProfile): PresentedError {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...err.headers };
  let status = err.status;
  switch (err.advice.kind) {
    case 'retry': {
      const seconds = Math.max(1, Math.ceil(err.advice.afterMs / 1000));
      headers['retry-after'] = String(seconds);
      headers['retry-after-ms'] = String(Math.max(0, Math.round(err.advice.afterMs)));
      headers['x-should-retry'] = 'true';
      break;
    }
    case 'final':
      headers['x-should-retry'] = 'false';
      if (profile === 'codex' && !CODEX_FINAL_STATUSES.has(status)) status = 400;
      break;
    case 'fallback':
      break;
  }
  return { status, headers, body: errorDocument(err.body) };
}
