/**
 * A team key's requests under their limits: the team's own (or the deployment's default for
 * teams) and the key's own. Without any, nothing is called: an unlimited team pays nothing.
 * Otherwise one call to the team's TeamLimiter object admits the request (before any upstream
 * call) or names the limit it ran into, as a 429 with the wait until a slot frees; a request
 * admitted under a concurrency limit holds a lease, renewed while it runs and released once it
 * is over (requests.ts), both in the background.
 * An object that cannot be reached lets the request through: limits protect providers and
 * other teams, and must never become the outage themselves.
 */
import { overLimit, type GatewayError } from '../core/errors';
import { hasLimits, type LimitHit, type RequestLimits } from '../upstream/limiter';
import type { ScopeRequest, TeamLimiterObject } from '../upstream/limiter-object';
import type { ApiKey, Team } from './model';

export interface LimitContext {
  readonly team: Team;
  readonly key: ApiKey;
  /** The deployment's limits of a team that sets none. */
  readonly defaults: RequestLimits;
  readonly limiter: DurableObjectNamespace<TeamLimiterObject> | null;
}

/** A concurrency lease an admitted request holds: one call to its team's object each. */
export interface HeldLease {
  /** How often to renew it while the request runs: a third of its term, so a lost renewal or two never frees a live request's slot. */
  readonly renewEveryMs: number;
  /** The request still runs: the lease holds its whole term again. */
  renew(): Promise<void>;
  /** The request is over: its slot is free. */
  release(): Promise<void>;
}

export type LimitAdmission =
  /** lease: null when the request holds none (no concurrency limit, or the limiter out of reach). */
  { readonly kind: 'admitted'; readonly lease: HeldLease | null } | { readonly kind: 'limited'; readonly error: GatewayError; readonly hit: LimitHit };

const ADMITTED: LimitAdmission = { kind: 'admitted', lease: null };

/** One limit of a team as it is enforced, and where it comes from: the team's own, the deployment's default for teams, or none. */
export interface TeamLimit {
  readonly value: number | null;
  readonly source: 'team' | 'default' | 'none';
}

/** Pure: a team's limit: its own (`own`), else the deployment's default for teams (`fallback`), else none. */
export function teamLimit(own: number | null, fallback: number | null): TeamLimit {
  if (own !== null) return { value: own, source: 'team' };
  if (fallback !== null) return { value: fallback, source: 'default' };
  return { value: null, source: 'none' };
}

/** The limits a key's request is held to: the key's own first, then its team's. */
export function scopesOf(team: Team, key: ApiKey, defaults: RequestLimits): ScopeRequest[] {
  const teamLimits: RequestLimits = {
    rpm: teamLimit(team.overrides.rpm, defaults.rpm).value,
    maxStreams: teamLimit(team.overrides.maxStreams, defaults.maxStreams).value,
  };
  return [
    { scope: 'key' as const, id: key.id, limits: key.limits },
    { scope: 'team' as const, id: 'team', limits: teamLimits },
  ].filter((scope) => hasLimits(scope.limits));
}

export async function admitUnderLimits(ctx: LimitContext): Promise<LimitAdmission> {
  const { team, key, limiter } = ctx;
  const scopes = scopesOf(team, key, ctx.defaults);
  if (scopes.length === 0 || limiter === null) return ADMITTED;
  const object = limiter.get(limiter.idFromName(team.id));
  const verdict = await object.acquire(scopes).catch(() => null);
  if (verdict === null) return ADMITTED; // the limiter is out of reach: serve rather than refuse
  if (verdict.kind === 'limited') return { kind: 'limited', error: limitError(verdict.hit, team, key), hit: verdict.hit };
  const { lease } = verdict;
  if (lease === null) return ADMITTED;
  return {
    kind: 'admitted',
    lease: { renewEveryMs: Math.floor(verdict.leaseMs / 3), renew: () => object.renew(lease), release: () => object.release(lease) },
  };
}

/**
 * The 429 for a limit: its code names whose limit and which: team_rate_limited,
 * team_concurrency_limited, api_key_rate_limited, api_key_concurrency_limited (not "key_…": the
 * redactor takes a long "key_…" word for a secret).
 */
export function limitError(hit: LimitHit, team: Team, key: ApiKey): GatewayError {
  const who = hit.scope === 'team' ? `team ${team.id}` : `key ${key.prefix}… of team ${team.id}`;
  const requests = `${hit.max} ${hit.max === 1 ? 'request' : 'requests'}`;
  const what = hit.limit === 'rpm' ? `its limit of ${requests} per minute (rpm)` : `its limit of ${requests} in flight at once (max_streams)`;
  const code = `${hit.scope === 'team' ? 'team' : 'api_key'}_${hit.limit === 'rpm' ? 'rate' : 'concurrency'}_limited`;
  return overLimit(code, `codex-edge: ${who} has reached ${what}`, hit.retryInMs);
}
