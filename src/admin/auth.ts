/**
 * Admits admin calls: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. The
 * admin API does not exist (404, saying why and how to turn it on) while ADMIN_TOKEN is unset;
 * a team key never opens it.
 */
import type { MiddlewareHandler } from 'hono';
import { bearerToken } from '../core/credentials';
import { keyMatches } from '../core/digest';
import type { AppEnv } from '../http/context';
import { invalidRequest, unauthorized } from '../core/errors';
import { looksLikeTeamKey } from '../teams/keys';

export const adminAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { teams } = c.var.settings;
  const token = teams?.adminToken ?? null;
  if (token === null) {
    const why =
      teams === null
        ? 'this deployment has no team registry (the D1 binding DB of the hosted environment: npm run dev locally, npm run deploy:hosted when deployed)'
        : 'ADMIN_TOKEN is not set; set it (at least 24 characters: openssl rand -hex 32) locally in .dev.vars.hosted and restart npm run dev, ' +
          'or deployed with: npx wrangler secret put ADMIN_TOKEN --env hosted';
    throw invalidRequest(404, `codex-edge: the admin API is off: ${why} (docs/teams.md)`, 'unknown_url');
  }
  const presented = bearerToken(c.req.raw.headers);
  if (presented === null) throw unauthorized('codex-edge: admin calls need "Authorization: Bearer <ADMIN_TOKEN>"');
  if (looksLikeTeamKey(presented)) throw unauthorized('codex-edge: a team key cannot call the admin API; use ADMIN_TOKEN');
  if (!(await keyMatches(presented, [token]))) throw unauthorized('codex-edge: invalid admin token');
  await next();
};
