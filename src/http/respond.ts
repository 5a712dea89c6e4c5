/** Turns a GatewayError into the Response a given client receives (see present.ts for the table), redacted and bounded. */
import type { Context } from 'hono';
import { clip } from '../core/clip';
import type { GatewayError } from '../core/errors';
import type { Redactor } from '../core/redact';
import type { ClientProfile } from './client-profile';
import type { AppEnv } from './context';
import { presentError } from './present';

export function errorResponse(err: GatewayError, profile: ClientProfile, redactor: Redactor, headers: HeadersInit = {}): Response {
  const presented = presentError(err, profile);
  const out = new Headers(headers);
  for (const [name, value] of Object.entries(presented.headers)) out.set(name, redactor.text(value));
  const { message, type, code, param } = presented.body.error;
  const safe = (text: string | null): string | null => (text === null ? null : clip(redactor.text(text)));
  const body = { error: { message: safe(message) ?? '', type: safe(type) ?? '', code: safe(code), param: safe(param) } };
  return new Response(JSON.stringify(body), { status: presented.status, headers: out });
}

/** What went wrong inside, for the server's log only: the cause's stack (or text). */
function describeCause(cause: unknown): string | null {
  if (cause === undefined) return null;
  return cause instanceof Error ? (cause.stack ?? `${cause.name}: ${cause.message}`) : String(cause);
}

/** Answers with a GatewayError and records it on the request's log line. */
export function fail(c: Context<AppEnv>, err: GatewayError, headers: HeadersInit = {}): Response {
  const { trace, profile } = c.var;
  trace.set({ error_code: err.body.code, error: err.body.message, error_cause: describeCause(err.cause) });
  return errorResponse(err, profile, trace.redactor, headers);
}
