/**
 * The providers the operator view shows and how each is doing: the breaker (the shared one of
 * PROVIDER_HEALTH when bound, else this isolate's), this isolate's retry budget, and from the
 * recent-request store the attempts of the last day by outcome and the newest failures.
 */
import type { Settings } from '../config/settings';
import type { AttemptSummary, RequestRecord } from '../http/request-record';
import { isolateHealth } from '../http/health';
import { listProviders } from '../teams/db/providers';
import { listTeams } from '../teams/db/teams';
import { teamHealthKey } from '../teams/tenant';
import { upstreamHealthKey } from '../tenancy/tenant';
import { failureKind, type AbsorbedKind } from '../teams/usage';
import type { Breaker } from '../upstream/breaker';

export interface ProviderRef {
  readonly teamId: string | null;
  /** The name attempts carry in the log line (a team's provider name; the single upstream's host). */
  readonly target: string;
  readonly baseUrl: string;
  readonly healthKey: string;
}

export interface AttemptMix {
  readonly attempts: number;
  readonly ok: number;
  readonly failures: Readonly<Record<AbsorbedKind, number>>;
  readonly last: readonly (AttemptSummary & { readonly at: number })[];
}

export interface ProviderStatus extends ProviderRef, AttemptMix {
  readonly breaker: Breaker;
  readonly budget: { readonly used: number; readonly allowed: number };
}

const LAST_FAILURES = 5;

/** Pure: the attempts that went to one provider in `records` (newest first), by outcome, and the newest failures. */
export function attemptMix(records: readonly RequestRecord[], ref: Pick<ProviderRef, 'teamId' | 'target'>): AttemptMix {
  const failures: Record<AbsorbedKind, number> = { transport: 0, '5xx': 0, '429': 0, timeout: 0, empty: 0, other: 0 };
  const last: (AttemptSummary & { at: number })[] = [];
  let attempts = 0;
  let ok = 0;
  for (const record of records) {
    if (record.teamId !== ref.teamId) continue;
    for (const attempt of record.attempts) {
      if (attempt.target !== ref.target) continue;
      attempts += 1;
      const kind = failureKind(attempt);
      if (kind === null) ok += attempt.outcome === 'ok' ? 1 : 0;
      else {
        failures[kind] += 1;
        if (last.length < LAST_FAILURES) last.push({ ...attempt, at: record.at });
      }
    }
  }
  return { attempts, ok, failures, last };
}

/** Every provider the deployment knows: the single upstream, then each team's. */
export async function knownProviders(settings: Settings): Promise<ProviderRef[]> {
  const refs: ProviderRef[] = [];
  const { upstream, teams } = settings;
  if (upstream !== null)
    refs.push({ teamId: null, target: upstream.baseUrl.host, baseUrl: upstream.baseUrl.href, healthKey: upstreamHealthKey(upstream.baseUrl) });
  if (teams === null) return refs;
  for (const team of await listTeams(teams.db)) {
    for (const provider of await listProviders(teams.db, team.id)) {
      refs.push({ teamId: team.id, target: provider.name, baseUrl: provider.baseUrl, healthKey: teamHealthKey(team.id, provider.name) });
    }
  }
  return refs;
}

async function breakerOf(settings: Settings, key: string): Promise<Breaker> {
  const { shared } = settings.health;
  const local = isolateHealth(settings).breaker(key);
  if (shared === null) return local;
  try {
    return await shared.get(shared.idFromName(key)).current();
  } catch {
    return local;
  }
}

export async function providerStatuses(settings: Settings, records: readonly RequestRecord[]): Promise<ProviderStatus[]> {
  const refs = await knownProviders(settings);
  return Promise.all(
    refs.map(async (ref) => ({
      ...ref,
      ...attemptMix(records, ref),
      breaker: await breakerOf(settings, ref.healthKey),
      budget: isolateHealth(settings).budget(ref.healthKey),
    })),
  );
}
