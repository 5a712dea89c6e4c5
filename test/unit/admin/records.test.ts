import { describe, expect, it } from 'vitest';
import { keyJson, keyStatus } from '../../../src/admin/keys';
import { patchTeam, teamJson } from '../../../src/admin/teams';
import type { ApiKey, Team } from '../../../src/teams/model';
import { aTeam, NO_OVERRIDES } from '../teams/fixtures';

const team: Team = aTeam({ overrides: { ...NO_OVERRIDES, maxAttempts: 3 }, allowedModels: ['gpt-*'] });

describe('patchTeam', () => {
  const now = new Date('2030-02-01T00:00:00Z');
  it.each<[string, Parameters<typeof patchTeam>[1], Partial<Team>]>([
    ['disable', { enabled: false, overrides: {} }, { enabled: false }],
    ['rename', { name: 'Acme Inc', overrides: {} }, { name: 'Acme Inc' }],
    [
      'clear an override, set another',
      { overrides: { maxAttempts: null, budgetMs: 9000 } },
      { overrides: { ...NO_OVERRIDES, maxAttempts: null, budgetMs: 9000 } },
    ],
    ['clear the allow-list', { allowedModels: null, overrides: {} }, { allowedModels: null }],
    ['leave the allow-list', { overrides: {} }, { allowedModels: ['gpt-*'] }],
  ])('%s', (_name, patch, expected) => {
    expect(patchTeam(team, patch, now)).toEqual({ ...team, ...expected, updatedAt: '2030-02-01T00:00:00.000Z' });
  });

  it("renders a team with the API's field names", () => {
    expect(teamJson(team)).toEqual({
      id: 'acme',
      object: 'team',
      name: 'Acme',
      enabled: true,
      max_attempts: 3,
      retry_budget_ms: null,
      headers_timeout_ms: null,
      stream_idle_timeout_ms: null,
      rpm: null,
      max_streams: null,
      allowed_models: ['gpt-*'],
      created_at: '2030-01-01T00:00:00.000Z',
      updated_at: '2030-01-01T00:00:00.000Z',
    });
  });
});

describe('keyStatus', () => {
  const key: ApiKey = {
    id: 'key_1',
    teamId: 'acme',
    name: null,
    prefix: 'cxe_ABCDEFGH',
    createdAt: '2030-01-01T00:00:00.000Z',
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: null,
    limits: { rpm: 30, maxStreams: null },
  };
  const now = new Date('2030-06-01T00:00:00Z');
  it.each<[string, Partial<ApiKey>, string]>([
    ['active', {}, 'active'],
    ['expires later', { expiresAt: '2030-06-01T00:00:00.001Z' }, 'active'],
    ['expired at this instant', { expiresAt: '2030-06-01T00:00:00.000Z' }, 'expired'],
    ['revoked', { revokedAt: '2030-03-01T00:00:00.000Z' }, 'revoked'],
    ['revoked wins over expired', { revokedAt: '2030-03-01T00:00:00.000Z', expiresAt: '2030-04-01T00:00:00.000Z' }, 'revoked'],
  ])('%s → %s', (_name, fields, expected) => {
    expect(keyStatus({ ...key, ...fields }, now)).toBe(expected);
  });

  it('never renders a hash or secret', () => {
    expect(Object.keys(keyJson(key, now)).sort()).toEqual([
      'created_at',
      'expires_at',
      'id',
      'last_used_at',
      'max_streams',
      'name',
      'object',
      'prefix',
      'revoked_at',
      'rpm',
      'status',
      'team_id',
    ]);
  });
});
