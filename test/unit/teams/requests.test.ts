import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TeamSettings } from '../../../src/config/settings';
import { LEASE_HOLD_MAX_MS, admitTeamRequest } from '../../../src/teams/requests';
import { NO_LIMITS } from '../../../src/upstream/limiter';
import { A_KEY, aTeam, NO_OVERRIDES } from './fixtures';

const MINUTE = 60_000;
const LEASE_MS = 15 * MINUTE;

const key = A_KEY;

/** A team limited to one stream, its limiter object a fake that records what it is asked. */
function limitedTeam(): { teams: TeamSettings; calls: string[] } {
  const calls: string[] = [];
  const object = {
    acquire: () => {
      calls.push('acquire');
      return Promise.resolve({ kind: 'admitted', lease: 'lease-1', leaseMs: LEASE_MS });
    },
    renew: (lease: string) => {
      calls.push(`renew ${lease}`);
      return Promise.resolve();
    },
    release: (lease: string) => {
      calls.push(`release ${lease}`);
      return Promise.resolve();
    },
  };
  const statement = { bind: () => statement, run: () => Promise.resolve({}) };
  const teams = {
    db: { prepare: () => statement },
    encryptionKey: null,
    keyCacheMs: 0,
    defaultLimits: NO_LIMITS,
    limiter: { idFromName: (name: string) => name, get: () => object },
  } as unknown as TeamSettings;
  return { teams, calls };
}

const team = aTeam({ overrides: { ...NO_OVERRIDES, maxStreams: 1 } });
const outcome = { startedAt: 0, attempts: [], failed: false, usage: null };

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('a request admitted under max_streams', () => {
  it('renews its lease every third of its term while it runs, and releases it when it ends', async () => {
    const { teams, calls } = limitedTeam();
    const admission = await admitTeamRequest(teams, team, key, () => undefined);
    if (admission.kind !== 'admitted') throw new Error('refused');
    vi.advanceTimersByTime(4 * MINUTE); // a request shorter than 5 minutes makes no renewal
    expect(calls).toEqual(['acquire']);
    vi.advanceTimersByTime(LEASE_MS + 2 * MINUTE); // a stream running past the lease's term (21 minutes)
    expect(calls).toEqual(['acquire', 'renew lease-1', 'renew lease-1', 'renew lease-1', 'renew lease-1']);
    admission.ticket.end(outcome);
    vi.advanceTimersByTime(LEASE_MS);
    expect(calls.slice(5)).toEqual(['release lease-1']);
  });

  it('stops renewing after LEASE_HOLD_MAX_MS (6 hours): a request whose end never comes frees its slot a term later', async () => {
    const { teams, calls } = limitedTeam();
    await admitTeamRequest(teams, team, key, () => undefined);
    vi.advanceTimersByTime(LEASE_HOLD_MAX_MS * 2);
    expect(calls.filter((call) => call.startsWith('renew'))).toHaveLength(LEASE_HOLD_MAX_MS / (5 * MINUTE));
    expect(vi.getTimerCount()).toBe(0);
  });
});
