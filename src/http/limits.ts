/**
 * The request line and headers a client may send, checked before anything else reads them
 * (auth, settings, routing), so an oversized request is refused at the gateway and never
 * forwarded: a URL (path and query) longer than MAX_URL_BYTES → 414 `uri_too_long`; headers
 * larger in total than MAX_HEADER_BYTES (each counted as on the wire: name, value and 4 bytes
 * of ": " and CRLF) → 431 `request_header_fields_too_large`. Both are final errors in the one
 * shape (Codex gets 400, see present.ts).
 */
import type { MiddlewareHandler } from 'hono';
import { headersTooLarge, uriTooLong, type GatewayError } from '../core/errors';
import type { AppEnv } from './context';
import { requestTarget } from './paths';

export const MAX_URL_BYTES = 16 * 1024;
export const MAX_HEADER_BYTES = 32 * 1024;

/** The size of the headers as sent: name + ": " + value + CRLF each (values are byte strings: one byte per character). */
export function headerBytes(headers: Headers): number {
  let total = 0;
  for (const [name, value] of headers) total += name.length + value.length + 4;
  return total;
}

/** The length of the request target: path and query, as in the request line. */
export function urlBytes(url: string): number {
  const { path, search } = requestTarget(url);
  return path.length + search.length;
}

/** Pure: the error for a request over a limit, or null. */
export function oversized(request: Request): GatewayError | null {
  const length = urlBytes(request.url);
  if (length > MAX_URL_BYTES) return uriTooLong(length, MAX_URL_BYTES);
  const size = headerBytes(request.headers);
  return size > MAX_HEADER_BYTES ? headersTooLarge(size, MAX_HEADER_BYTES) : null;
}

export const requestLimits: MiddlewareHandler<AppEnv> = async (c, next) => {
  const refused = oversized(c.req.raw);
  if (refused !== null) throw refused;
  await next();
};
