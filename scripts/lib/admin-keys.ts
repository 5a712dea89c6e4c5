/**
 * `keys revoke` by a key's visible prefix (cxe_...): the team's keys are listed first, and the
 * one key the prefix names is revoked by its id.
 */
import { admin, CliError, enc, type CliStep } from './admin-call';

interface ListedKey {
  readonly id: string;
  readonly prefix: string;
}

function listedKeys(answer: unknown): ListedKey[] {
  const data = typeof answer === 'object' && answer !== null && 'data' in answer && Array.isArray(answer.data) ? (answer.data as unknown[]) : [];
  return data.flatMap((item) =>
    typeof item === 'object' && item !== null && 'id' in item && 'prefix' in item && typeof item.id === 'string' && typeof item.prefix === 'string'
      ? [{ id: item.id, prefix: item.prefix }]
      : [],
  );
}

/** Pure: the id of the one key of `team` that `given` names by its visible prefix (or by the whole key); a CliError otherwise. */
export function keyIdByPrefix(team: string, given: string, answer: unknown): string {
  const matches = listedKeys(answer).filter((key) => key.prefix.startsWith(given) || given.startsWith(key.prefix));
  const [only] = matches;
  if (only !== undefined && matches.length === 1) return only.id;
  if (matches.length === 0)
    throw new CliError(`keys revoke: no key of team "${team}" has the prefix "${given}" (keys list ${team} shows every key's id and prefix)`);
  const named = matches.map((key) => `${key.id} (${key.prefix})`).join(', ');
  throw new CliError(`keys revoke: ${matches.length} keys of team "${team}" match "${given}": ${named}; give the key id or a longer prefix`);
}

/** `keys revoke`: by id at once; by prefix (cxe_...) after listing the team's keys. */
export function revokeKey(team: string, given: string): CliStep {
  const path = (id: string): string => `/teams/${enc(team)}/keys/${enc(id)}/revoke`;
  if (!given.startsWith('cxe_')) return admin('POST', path(given));
  return { lookup: `/admin/teams/${enc(team)}/keys`, then: (answer) => admin('POST', path(keyIdByPrefix(team, given, answer))) };
}
