/**
 * Admits clients and picks their tenant. With a team registry (D1), a team key (`cxe_…`, in
 * Authorization: Bearer or x-api-key) selects its team (teams/admission.ts); any other key gets
 * the single-upstream mode, unchanged: "open": clients bring their own key, which goes
 * upstream. "keys": the gateway spends its own upstream key, so a client must present one of
 * GATEWAY_API_KEYS (Authorization: Bearer or x-api-key), compared in constant time.
 * Every HTTP request passes here, and so does every turn of a WebSocket connection (with its
 * handshake's headers): a revoked or expired key, a disabled team, a changed route or a rotated
 * provider key applies to both alike, within KEY_CACHE_TTL_MS (an expiry to the second).
 */
import type { MiddlewareHandler } from 'hono';
import type { Settings } from '../config/settings';
import type { AppEnv } from './context';
import { background } from './background';
import type { RequestTrace } from './log';
import { unauthorized } from '../core/errors';
import { presentedKey } from '../core/credentials';
import { keyMatches } from '../core/digest';
import { singleUpstreamTenant, type Tenant } from '../tenancy/tenant';
import type { Background } from '../tenancy/ticket';
import { admitTeamKey } from '../teams/admission';
import { presentedTeamKey } from '../teams/keys';
import type { TeamView } from '../teams/tenant';
import { teamSecrets } from './secrets';

export interface AuthContext {
  readonly settings: Settings;
  /** The log line of the request (or turn): it is told the team, and its redactor the team's provider keys. */
  readonly trace: RequestTrace;
  /** Runs work that may outlive the response (a key's last-used write). */
  readonly background: Background;
}

export interface Authenticated {
  /** Where the request may go. */
  readonly tenant: Tenant;
  /** The team of a team key, null in single-upstream mode. */
  readonly team: TeamView | null;
}

/**
 * Who the credentials in `headers` are for, now, through the key cache (teams/admission.ts);
 * throws the 401 or 403 GatewayError of credentials that are refused.
 */
export async function authenticate(headers: Headers, ctx: AuthContext): Promise<Authenticated> {
  const { settings, trace } = ctx;
  const { access, teams, upstream } = settings;
  const teamKey = teams === null ? null : presentedTeamKey(headers);
  if (teams !== null && teamKey !== null) {
    const tenant = await admitTeamKey(teamKey, { teams, settings, now: new Date(), background: ctx.background });
    trace.set({ team: tenant.teamId });
    trace.protect(trace.redactor.with(teamSecrets(tenant.view)));
    return { tenant, team: tenant.view };
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
    const key = presentedKey(headers);
    if (key === null) throw unauthorized('codex-edge: missing API key; send "Authorization: Bearer <key>" with one of the gateway\'s client keys');
    if (!(await keyMatches(key, access.keys))) throw unauthorized('codex-edge: invalid API key for this gateway');
  }
  return { tenant: singleUpstreamTenant(upstream, settings), team: null };
}

export const clientAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { tenant, team } = await authenticate(c.req.raw.headers, { settings: c.get('settings'), trace: c.get('trace'), background: background(c) });
  c.set('tenant', tenant);
  c.set('team', team);
  await next();
};
