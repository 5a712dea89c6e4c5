/** Turns a GatewayError into the Response a given client receives (see present.ts for the table). */
import type { Context } from 'hono';
import type { AppEnv } from './context';
import type { ClientProfile } from './client-profile';
import type { GatewayError } from '../core/errors';
import { presentError } from './present';

export function errorResponse(err: GatewayError, profile: ClientProfile, headers: HeadersInit = {}): Response {
  const presented = presentError(err, profile);
  const out = new Headers(headers);
  for (const [name, value] of Object.entries(presented.headers)) out.set(name, value);
  return new Response(JSON.stringify(presented.body), { status: presented.status, headers: out });
}

/** Answers with a GatewayError and records it on the request's log line. */
export function fail(c: Context<AppEnv>, err: GatewayError, headers: HeadersInit = {}): Response {
  c.var.trace.set({ error_code: err.body.code, error: err.body.message });
  return errorResponse(err, c.var.profile, headers);
}
