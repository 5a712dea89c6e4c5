/**
 * Admits clients and picks their tenant. Single-upstream mode: "open": clients bring their own key, which goes
 * upstream. "keys": the gateway spends its own upstream key, so a client must present one of
 * GATEWAY_API_KEYS (Authorization: Bearer or x-api-key), compared in constant time.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context';
import { unauthorized } from './errors';
import { presentedKey } from './headers';
import { singleUpstreamTenant } from '../tenancy/tenant';

const encoder = new TextEncoder();

async function digest(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', encoder.encode(text));
}

/** Constant-time membership: every configured key is compared, through fixed-length digests. */
export async function keyMatches(presented: string, keys: readonly string[]): Promise<boolean> {
  const wanted = await digest(presented);
  let found = false;
  for (const key of keys) {
    if (crypto.subtle.timingSafeEqual(wanted, await digest(key))) found = true;
  }
  return found;
}

export const clientAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { settings } = c.var;
  const { access } = settings;
  if (access.kind === 'keys') {
    const key = presentedKey(c.req.raw.headers);
    if (key === null) throw unauthorized('codex-edge: missing API key; send "Authorization: Bearer <key>" with one of the gateway\'s client keys');
    if (!(await keyMatches(key, access.keys))) throw unauthorized('codex-edge: invalid API key for this gateway');
  }
  c.set('tenant', singleUpstreamTenant(settings));
  await next();
};
