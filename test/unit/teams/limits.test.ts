import { describe, expect, it } from 'vitest';
import { limitError, scopesOf, teamLimit } from '../../../src/teams/limits';
import { NO_LIMITS } from '../../../src/upstream/limiter';
import { A_KEY, aTeam, NO_OVERRIDES } from './fixtures';

const key = A_KEY;

describe('scopesOf', () => {
  it('none without limits anywhere: an unlimited team makes no limiter call', () => {
    expect(scopesOf(aTeam(), key, NO_LIMITS)).toEqual([]);
  });

  it("the team's own limits, else the deployment default, field by field", () => {
    const team = aTeam({ overrides: { ...NO_OVERRIDES, rpm: 600 } });
    expect(scopesOf(team, key, { rpm: 60, maxStreams: 4 })).toEqual([{ scope: 'team', id: 'team', limits: { rpm: 600, maxStreams: 4 } }]);
    expect(scopesOf(aTeam(), key, { rpm: 60, maxStreams: null })).toEqual([{ scope: 'team', id: 'team', limits: { rpm: 60, maxStreams: null } }]);
  });

  it("the key's own first, then the team's", () => {
    const limited = { ...key, limits: { rpm: 10, maxStreams: null } };
    expect(scopesOf(aTeam({ overrides: { ...NO_OVERRIDES, maxStreams: 8 } }), limited, NO_LIMITS)).toEqual([
      { scope: 'key', id: 'key_1', limits: { rpm: 10, maxStreams: null } },
      { scope: 'team', id: 'team', limits: { rpm: null, maxStreams: 8 } },
    ]);
  });
});

describe('teamLimit', () => {
  it.each([
    [600, 60, { value: 600, source: 'team' }],
    [600, null, { value: 600, source: 'team' }],
    [null, 60, { value: 60, source: 'default' }],
    [null, null, { value: null, source: 'none' }],
  ] as const)('own %s, default %s → %j', (own, fallback, expected) => {
    expect(teamLimit(own, fallback)).toEqual(expected);
  });
});

describe('limitError', () => {
  it.each<[Parameters<typeof limitError>[0], string, RegExp]>([
    [
      { scope: 'team', limit: 'rpm', max: 60, retryInMs: 12_000 },
      'team_rate_limited',
      /^codex-edge: team acme has reached its limit of 60 requests per minute \(rpm\)$/,
    ],
    [
      { scope: 'team', limit: 'max_streams', max: 1, retryInMs: 1_000 },
      'team_concurrency_limited',
      /its limit of 1 request in flight at once \(max_streams\)$/,
    ],
    [
      { scope: 'key', limit: 'rpm', max: 5, retryInMs: 3_000 },
      'api_key_rate_limited',
      /^codex-edge: key cxe_ABCDEFGH… of team acme has reached its limit of 5 requests per minute/,
    ],
    [{ scope: 'key', limit: 'max_streams', max: 2, retryInMs: 1_000 }, 'api_key_concurrency_limited', /2 requests in flight/],
  ])('%j → 429 %s', (hit, code, message) => {
    const error = limitError(hit, aTeam(), key);
    expect(error.status).toBe(429);
    expect(error.body).toMatchObject({ code, type: 'rate_limit_error' });
    expect(error.body.message).toMatch(message);
    expect(error.advice).toEqual({ kind: 'retry', afterMs: hit.retryInMs });
  });
});
