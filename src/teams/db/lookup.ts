/** The request path's one D1 round trip: a key's hash → the key, its team, the team's providers and routes. */
import type { ApiKey, Route, StoredProvider, Team } from '../model';
import {
  KEY_COLUMNS,
  keyFromRow,
  PROVIDER_COLUMNS,
  providerFromRow,
  routeFromRow,
  TEAM_COLUMNS,
  teamFromRow,
  type KeyRow,
  type ProviderRow,
  type RouteRow,
  type TeamRow,
} from './rows';

export interface KeyGrant {
  readonly key: ApiKey;
  readonly team: Team;
  readonly providers: readonly StoredProvider[];
  readonly routes: readonly Route[];
}

const prefixed = (alias: string, columns: string): string =>
  columns
    .split(', ')
    .map((column) => `${alias}.${column}`)
    .join(', ');

/** Rows of one query of the batch, as the schema defines them. */
function rowsOf<T>(result: D1Result<unknown> | undefined): T[] {
  return (result?.results ?? []) as T[];
}

export async function loadKeyGrant(db: D1Database, hash: string): Promise<KeyGrant | null> {
  const [keys, teams, providers, routes] = await db.batch<unknown>([
    db.prepare(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE hash = ?1`).bind(hash),
    db.prepare(`SELECT ${prefixed('t', TEAM_COLUMNS)} FROM teams t JOIN api_keys k ON k.team_id = t.id WHERE k.hash = ?1`).bind(hash),
    db.prepare(`SELECT ${prefixed('p', PROVIDER_COLUMNS)} FROM providers p JOIN api_keys k ON k.team_id = p.team_id WHERE k.hash = ?1`).bind(hash),
    db.prepare('SELECT r.model, r.aliases, r.targets FROM routes r JOIN api_keys k ON k.team_id = r.team_id WHERE k.hash = ?1 ORDER BY r.position').bind(hash),
  ]);
  const [keyRow] = rowsOf<KeyRow>(keys);
  const [teamRow] = rowsOf<TeamRow>(teams);
  if (keyRow === undefined || teamRow === undefined) return null;
  return {
    key: keyFromRow(keyRow),
    team: teamFromRow(teamRow),
    providers: rowsOf<ProviderRow>(providers).map(providerFromRow),
    routes: rowsOf<RouteRow>(routes).map(routeFromRow),
  };
}

export function touchKey(db: D1Database, keyId: string, now: Date): Promise<D1Result> {
  return db.prepare('UPDATE api_keys SET last_used_at = ?1 WHERE id = ?2').bind(now.toISOString(), keyId).run();
}
