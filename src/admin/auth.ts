/**
 * Admits admin calls: `Authorization: Bearer <ADMIN_TOKEN>` (the CLI, scripts), compared in
 * constant time, or the operator page's session cookie (session.ts), whose writes also need the
 * session's CSRF token. The admin API and page do not exist (404, saying why and how to turn
 * them on) while ADMIN_TOKEN is unset; a team key never opens them.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AdminSettings } from '../config/settings';
import { bearerToken } from '../core/credentials';
import { keyMatches } from '../core/digest';
import type { AppEnv } from '../http/context';
import { forbidden, invalidRequest, unauthorized } from '../core/errors';
import { looksLikeTeamKey } from '../teams/keys';
import { csrfMatches, readSession } from './session';

const READS = new Set(['GET', 'HEAD']);

/** The admin token and the store it reads; a 404 that says why while the admin API is off. */
export function adminSettings(c: Pick<Context<AppEnv>, 'get'>): AdminSettings {
  const { admin, teams } = c.get('settings');
  if (admin !== null) return admin;
  const [file, dev, env] = teams === null ? ['.dev.vars', 'npx wrangler dev', ''] : ['.dev.vars.hosted', 'npm run dev', ' --env hosted'];
  throw invalidRequest(
    404,
    `codex-edge: the admin API is off: ADMIN_TOKEN is not set; set it (at least 24 characters: openssl rand -hex 32) locally in ${file} and ` +
      `restart ${dev}, or deployed with: npx wrangler secret put ADMIN_TOKEN${env} (README: Operator view)`,
    'unknown_url',
  );
}

/** Is `presented` the admin token? A team key never is, and is named as one. */
export async function checkAdminToken(presented: string, token: string): Promise<'admin' | 'team-key' | 'wrong'> {
  if (looksLikeTeamKey(presented)) return 'team-key';
  return (await keyMatches(presented, [token])) ? 'admin' : 'wrong';
}

export const adminAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { token } = adminSettings(c);
  const presented = bearerToken(c.req.raw.headers);
  if (presented !== null) {
    const checked = await checkAdminToken(presented, token);
    if (checked === 'team-key') throw unauthorized('codex-edge: a team key cannot call the admin API; use ADMIN_TOKEN');
    if (checked === 'wrong') throw unauthorized('codex-edge: invalid admin token');
    return next();
  }
  const session = await readSession(c, token, Date.now());
  if (session === null) throw unauthorized('codex-edge: admin calls need "Authorization: Bearer <ADMIN_TOKEN>" (or a signed-in operator page session)');
  if (!READS.has(c.req.method) && !(await csrfMatches(session, token, c.req.header('x-csrf-token'))))
    throw forbidden('codex-edge: a write from the operator page needs its CSRF token in x-csrf-token; reload the page', 'csrf_token_invalid');
  return next();
};
