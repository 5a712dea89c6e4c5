/**
 * Admits clients and picks their tenant. With a team registry (D1), a team key (`cxe_…`, in
 * Authorization: Bearer or x-api-key) selects its team (teams/admission.ts); any other key gets
 * the single-upstream mode, unchanged: "open": clients bring their own key, which goes
 * upstream. "keys": the gateway spends its own upstream key, so a client must present one of
 * GATEWAY_API_KEYS (Authorization: Bearer or x-api-key), compared in constant time.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context';
import { background } from './background';
import { unauthorized } from '../core/errors';
import { presentedKey } from '../core/credentials';
import { keyMatches } from '../core/digest';
import { singleUpstreamTenant } from '../tenancy/tenant';
import { admitTeamKey } from '../teams/admission';
import { presentedTeamKey } from '../teams/keys';
import { teamSecrets } from './secrets';

export const clientAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { settings } = c.var;
  const { access, teams, upstream } = settings;
  const teamKey = teams === null ? null : presentedTeamKey(c.req.raw.headers);
  if (teams !== null && teamKey !== null) {
    const tenant = await admitTeamKey(teamKey, { teams, settings, now: new Date(), background: background(c) });
    c.var.trace.set({ team: tenant.teamId });
    c.var.trace.protect(c.var.trace.redactor.with(teamSecrets(tenant.view)));
    c.set('tenant', tenant);
    c.set('team', tenant.view);
    await next();
    return;
  }
  if (upstream === null) {
    throw unauthorized(
      'codex-edge: this gateway has no single upstream (UPSTREAM_BASE_URL is not set) and serves team keys only; send your team key (cxe_…) ' +
        'as "Authorization: Bearer <key>". ' +
        'To run it: set UPSTREAM_BASE_URL (locally: npm run dev -- --var UPSTREAM_BASE_URL:http://127.0.0.1:9000/v1), or create a team with ' +
        'the admin CLI (docs/teams.md); GET /healthz shows what is configured',
    );
  }
  if (access.kind === 'keys') {
    const key = presentedKey(c.req.raw.headers);
    if (key === null) throw unauthorized('codex-edge: missing API key; send "Authorization: Bearer <key>" with one of the gateway\'s client keys');
    if (!(await keyMatches(key, access.keys))) throw unauthorized('codex-edge: invalid API key for this gateway');
  }
  c.set('tenant', singleUpstreamTenant(upstream, settings));
  c.set('team', null);
  await next();
};
