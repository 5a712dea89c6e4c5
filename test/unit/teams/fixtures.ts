/** Records shared by the team unit tests. */
import type { ApiKey, Team } from '../../../src/teams/model';
import { NO_LIMITS } from '../../../src/upstream/limiter';

export const NO_OVERRIDES: Team['overrides'] = { maxAttempts: null, budgetMs: null, headersMs: null, streamIdleMs: null, rpm: null, maxStreams: null };

export function aTeam(fields: Partial<Team> = {}): Team {
  return {
    id: 'acme',
    name: 'Acme',
    enabled: true,
    overrides: NO_OVERRIDES,
    allowedModels: null,
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
    ...fields,
  };
}

/** A key of team acme with no limits of its own. */
export const A_KEY: ApiKey = {
  id: 'key_1',
  teamId: 'acme',
  name: null,
  prefix: 'cxe_ABCDEFGH',
  createdAt: '',
  expiresAt: null,
  revokedAt: null,
  lastUsedAt: null,
  limits: NO_LIMITS,
};
