/** D1 queries for team API keys (admin API). Only the hash and visible prefix of a key are ever written. */
import type { ApiKey } from '../model';
import { KEY_COLUMNS, keyFromRow, type KeyRow } from './rows';

export async function listKeys(db: D1Database, teamId: string): Promise<ApiKey[]> {
  const { results } = await db.prepare(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE team_id = ?1 ORDER BY created_at, id`).bind(teamId).all<KeyRow>();
  return results.map(keyFromRow);
}

export async function getKey(db: D1Database, teamId: string, keyId: string): Promise<ApiKey | null> {
  const row = await db.prepare(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE team_id = ?1 AND id = ?2`).bind(teamId, keyId).first<KeyRow>();
  return row === null ? null : keyFromRow(row);
}

export function insertKey(db: D1Database, key: ApiKey, hash: string): D1PreparedStatement {
  return db
    .prepare('INSERT INTO api_keys (id, team_id, name, prefix, hash, created_at, expires_at, rpm, max_streams) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)')
    .bind(key.id, key.teamId, key.name, key.prefix, hash, key.createdAt, key.expiresAt, key.limits.rpm, key.limits.maxStreams);
}

export function revokeKey(db: D1Database, teamId: string, keyId: string, at: string): D1PreparedStatement {
  return db.prepare('UPDATE api_keys SET revoked_at = ?3 WHERE team_id = ?1 AND id = ?2 AND revoked_at IS NULL').bind(teamId, keyId, at);
}
