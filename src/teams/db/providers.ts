/** D1 queries for a team's providers (admin API). The key column is written here and read only by the key resolver. */
import type { StoredProvider } from '../model';
import { PROVIDER_COLUMNS, providerFromRow, providerValues, type ProviderRow } from './rows';

export async function listProviders(db: D1Database, teamId: string): Promise<StoredProvider[]> {
  const { results } = await db
    .prepare(`SELECT ${PROVIDER_COLUMNS} FROM providers WHERE team_id = ?1 ORDER BY created_at, name`)
    .bind(teamId)
    .all<ProviderRow>();
  return results.map(providerFromRow);
}

export async function getProvider(db: D1Database, teamId: string, name: string): Promise<StoredProvider | null> {
  const row = await db.prepare(`SELECT ${PROVIDER_COLUMNS} FROM providers WHERE team_id = ?1 AND name = ?2`).bind(teamId, name).first<ProviderRow>();
  return row === null ? null : providerFromRow(row);
}

export function insertProvider(db: D1Database, provider: StoredProvider): D1PreparedStatement {
  return db.prepare(`INSERT INTO providers (${PROVIDER_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`).bind(...providerValues(provider));
}

export function replaceProvider(db: D1Database, provider: StoredProvider): D1PreparedStatement {
  return db
    .prepare(
      'UPDATE providers SET base_url = ?4, wire_api = ?5, auth = ?6, key_ciphertext = ?7, updated_at = ?9, capabilities = ?10 WHERE id = ?1 ' +
        'AND team_id = ?2 AND name = ?3',
    )
    .bind(...providerValues(provider)); // ?8 (created_at) is bound and left unchanged
}

export function deleteProvider(db: D1Database, teamId: string, name: string): D1PreparedStatement {
  return db.prepare('DELETE FROM providers WHERE team_id = ?1 AND name = ?2').bind(teamId, name);
}
