/**
 * A team key's relayed request from admission to end: held to its team's and key's limits
 * before it goes upstream (limits.ts); when it is over, its concurrency slot is released and
 * what it did is added to the team's usage of the day (usage.ts), both in the background, never
 * on the request's path. A usage write that fails is logged and lost, never retried.
 */
import type { TeamSettings } from '../config/settings';
import { ticket, type Admission, type Background, type RequestOutcome } from '../tenancy/ticket';
import { addUsage } from './db/usage';
import { admitUnderLimits } from './limits';
import type { ApiKey, Team } from './model';
import { usageDay, usageDelta } from './usage';

export async function admitTeamRequest(teams: TeamSettings, team: Team, key: ApiKey, background: Background): Promise<Admission> {
  const admitted = await admitUnderLimits({ team, key, defaults: teams.defaultLimits, limiter: teams.limiter });
  if (admitted.kind === 'limited') return admitted;
  return {
    kind: 'admitted',
    ticket: ticket((outcome) => {
      admitted.release?.(background);
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
