/** Records shared by the team unit tests. */
import type { Team } from '../../../src/teams/model';

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
