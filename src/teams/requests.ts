/**
 * A team key's relayed request from admission to end: held to its team's and key's limits
 * before it goes upstream (limits.ts); while it runs, its concurrency lease is renewed every
 * third of its term (5 of 15 minutes; a request shorter than that makes no renewal), so that a
 * stream counts until it ends (up to LEASE_HOLD_MAX_MS); when it is over, its slot is released
 * and what it did is added to the team's usage of the day (usage.ts). All of it in the
 * background, never on the request's path. A usage write that fails is logged and lost, never
 * retried.
 */
import type { TeamSettings } from '../config/settings';
import { renewWhileRunning } from '../tenancy/renewal';
import { ticket, type Admission, type Background, type RequestOutcome } from '../tenancy/ticket';
import { addUsage } from './db/usage';
import { admitUnderLimits } from './limits';
import type { ApiKey, Team } from './model';
import { usageDay, usageDelta } from './usage';

/**
 * How long a request's lease is renewed at most. A request whose end never came in a live
 * isolate (a bug) then frees its slot one lease term after its last renewal, as one whose
 * isolate died does.
 */
export const LEASE_HOLD_MAX_MS = 6 * 60 * 60_000;

export async function admitTeamRequest(teams: TeamSettings, team: Team, key: ApiKey, background: Background): Promise<Admission> {
  const admitted = await admitUnderLimits({ team, key, defaults: teams.defaultLimits, limiter: teams.limiter });
  if (admitted.kind === 'limited') return admitted;
  const { lease } = admitted;
  const stopRenewing = lease === null ? null : renewWhileRunning(() => lease.renew(), { everyMs: lease.renewEveryMs, forMs: LEASE_HOLD_MAX_MS }, background);
  return {
    kind: 'admitted',
    ticket: ticket((outcome) => {
      if (lease !== null) {
        stopRenewing?.();
        background(lease.release().catch(() => undefined));
      }
      background(recordUsage(teams.db, team.id, outcome));
    }),
  };
}

async function recordUsage(db: D1Database, teamId: string, outcome: RequestOutcome): Promise<void> {
  try {
    await addUsage(db, teamId, usageDay(outcome.startedAt), usageDelta(outcome)).run();
  } catch (err) {
    console.warn(JSON.stringify({ level: 'warn', msg: 'usage', team: teamId, error: err instanceof Error ? err.message : String(err) }));
  }
}
