/**
 * Admits admin calls: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. The
 * admin API does not exist (404) while ADMIN_TOKEN is unset; a team key never opens it.
 */
import type { MiddlewareHandler } from 'hono';
import { bearerToken } from '../core/credentials';
import { keyMatches } from '../core/digest';
import type { AppEnv } from '../http/context';
import { notFound, unauthorized } from '../core/errors';
import { looksLikeTeamKey } from '../teams/keys';

export const adminAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = c.var.settings.teams?.adminToken ?? null;
  if (token === null) throw notFound(c.req.method, c.req.path);
  const presented = bearerToken(c.req.raw.headers);
  if (presented === null) throw unauthorized('codex-edge: admin calls need "Authorization: Bearer <ADMIN_TOKEN>"');
  if (looksLikeTeamKey(presented)) throw unauthorized('codex-edge: a team key cannot call the admin API; use ADMIN_TOKEN');
  if (!(await keyMatches(presented, [token]))) throw unauthorized('codex-edge: invalid admin token');
  await next();
};
