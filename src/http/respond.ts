/** Turns a GatewayError into the Response a given client receives (see present.ts for the table). */
import type { Context } from 'hono';
import type { AppEnv } from './context';
import type { ClientProfile } from './client-profile';
import type { GatewayError } from '../core/errors';
import { redactSecrets } from '../core/redact';
import { presentError } from './present';

export function errorResponse(err: GatewayError, profile: ClientProfile, headers: HeadersInit = {}): Response {
  const presented = presentError(err, profile);
  const out = new Headers(headers);
  for (const [name, value] of Object.entries(presented.headers)) out.set(name, value);
  return new Response(JSON.stringify(presented.body), { status: presented.status, headers: out });
}

/** What went wrong inside, for the server's log only: the cause's stack (or text), redacted. */
function describeCause(cause: unknown): string | null {
  if (cause === undefined) return null;
  const text = cause instanceof Error ? (cause.stack ?? `${cause.name}: ${cause.message}`) : String(cause);
  return redactSecrets(text);
}

/** Answers with a GatewayError and records it on the request's log line. */
export function fail(c: Context<AppEnv>, err: GatewayError, headers: HeadersInit = {}): Response {
  c.var.trace.set({ error_code: err.body.code, error: err.body.message, error_cause: describeCause(err.cause) });
  return errorResponse(err, c.var.profile, headers);
}
