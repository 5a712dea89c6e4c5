/**
 * The operator page's session: after sign-in with the admin token, a cookie the Worker signs
 * (HMAC-SHA256 keyed by ADMIN_TOKEN, hono/cookie), `__Host-` prefixed, HttpOnly, Secure,
 * SameSite=Strict, Path=/, for SESSION_MS; it holds an expiry and a random nonce, never the
 * token. A script cannot read it, a URL never carries it, another site's request never sends it;
 * rotating ADMIN_TOKEN ends every session. Writes also need the session's CSRF token (an HMAC of
 * the cookie, in the page's <meta>) in `x-csrf-token`: checked in constant time.
 */
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { sha256 } from '../core/digest';
import { toHex } from '../core/encoding';

export const SESSION_COOKIE = 'codex-edge-admin';
/** How long a session lasts after sign-in. */
export const SESSION_MS = 8 * 3_600_000;

export interface Session {
  /** The signed cookie's value: `<expires at, ms>.<nonce>`. */
  readonly value: string;
  readonly expiresAt: number;
}

/** Pure: a session's expiry from its cookie value; null when it is not one or has expired at `now`. */
export function sessionExpiry(value: string, now: number): number | null {
  const match = /^(\d{13})\.[0-9a-f]{32}$/.exec(value);
  if (match === null) return null;
  const expiresAt = Number(match[1]);
  return expiresAt > now ? expiresAt : null;
}

export async function startSession(c: Context, token: string, now: number): Promise<void> {
  const expiresAt = now + SESSION_MS;
  const nonce = toHex(crypto.getRandomValues(new Uint8Array(16)));
  await setSignedCookie(c, SESSION_COOKIE, `${expiresAt}.${nonce}`, token, {
    path: '/',
    secure: true,
    httpOnly: true,
    sameSite: 'Strict',
    maxAge: SESSION_MS / 1000,
    prefix: 'host',
  });
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true, prefix: 'host' });
}

/** The request's valid, unexpired session; null for none. */
export async function readSession(c: Context, token: string, now: number): Promise<Session | null> {
  const value = await getSignedCookie(c, token, SESSION_COOKIE, 'host');
  if (typeof value !== 'string') return null;
  const expiresAt = sessionExpiry(value, now);
  return expiresAt === null ? null : { value, expiresAt };
}

/** The CSRF token of a session. */
export async function csrfToken(session: Session, token: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(token), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toHex(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`csrf.${session.value}`)));
}

/** Constant time: does `presented` equal the session's CSRF token? */
export async function csrfMatches(session: Session, token: string, presented: string | undefined): Promise<boolean> {
  if (presented === undefined) return false;
  const [wanted, given] = await Promise.all([csrfToken(session, token).then(sha256), sha256(presented)]);
  return crypto.subtle.timingSafeEqual(wanted, given);
}
