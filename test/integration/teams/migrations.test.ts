/** migrations/ applied to an empty local D1, as `wrangler d1 migrations apply` does in dev and production. */
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { USAGE_COUNTERS } from '../../../src/teams/usage';

async function columns(db: D1Database, table: string): Promise<string[]> {
  const { results } = await db.prepare(`SELECT name FROM pragma_table_info(?1) ORDER BY cid`).bind(table).all<{ name: string }>();
  return results.map((row) => row.name);
}

describe('migrations', () => {
  it('create the team registry in an empty database, once', async () => {
    const db = env.EMPTY_DB;
    const before = await db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite_%'")
      .all();
    expect(before.results).toEqual([]);

    await applyD1Migrations(db, env.TEST_MIGRATIONS);
    await applyD1Migrations(db, env.TEST_MIGRATIONS); // applied migrations are skipped

    const applied = await db.prepare('SELECT name FROM d1_migrations ORDER BY id').all<{ name: string }>();
    expect(applied.results.map((row) => row.name)).toEqual([
      '0001_init.sql',
      '0002_limits.sql',
      '0003_provider_capabilities.sql',
      '0004_usage.sql',
      '0005_requests.sql',
    ]);
    expect(await columns(db, 'teams')).toEqual([
      'id',
      'name',
      'enabled',
      'max_attempts',
      'retry_budget_ms',
      'headers_timeout_ms',
      'stream_idle_timeout_ms',
      'allowed_models',
      'created_at',
      'updated_at',
      'rpm',
      'max_streams',
    ]);
    expect(await columns(db, 'api_keys')).toEqual([
      'id',
      'team_id',
      'name',
      'prefix',
      'hash',
      'created_at',
      'expires_at',
      'revoked_at',
      'last_used_at',
      'rpm',
      'max_streams',
    ]);
    expect(await columns(db, 'providers')).toEqual([
      'id',
      'team_id',
      'name',
      'base_url',
      'wire_api',
      'auth',
      'key_ciphertext',
      'created_at',
      'updated_at',
      'capabilities',
    ]);
    expect(await columns(db, 'routes')).toEqual(['team_id', 'position', 'model', 'aliases', 'targets']);
    expect(await columns(db, 'audit_log')).toEqual(['id', 'at', 'actor', 'request_id', 'action', 'team_id', 'subject', 'details']);
    expect(await columns(db, 'usage_daily')).toEqual(['team_id', 'day', ...USAGE_COUNTERS]);
  });

  it('enforce what the code relies on: unique key hashes, provider names per team, consistent auth', async () => {
    const db = env.DB;
    const at = '2030-01-01T00:00:00.000Z';
    await db.prepare('INSERT INTO teams (id, name, created_at, updated_at) VALUES (?1, ?1, ?2, ?2)').bind('constraints', at).run();
    const key = db.prepare("INSERT INTO api_keys (id, team_id, prefix, hash, created_at) VALUES (?1, 'constraints', 'cxe_x', 'same-hash', ?2)");
    await key.bind('key_a', at).run();
    await expect(key.bind('key_b', at).run()).rejects.toThrow(/UNIQUE/);
    const provider = db.prepare(
      "INSERT INTO providers (id, team_id, name, base_url, wire_api, auth, key_ciphertext, created_at, updated_at) VALUES (?1, 'constraints', " +
        "'p', 'http://x', 'responses', ?2, ?3, ?4, ?4)",
    );
    await provider.bind('prv_a', 'client', null, at).run();
    await expect(provider.bind('prv_b', 'client', null, at).run()).rejects.toThrow(/UNIQUE/);
    await expect(db.prepare("UPDATE providers SET auth = 'key' WHERE id = 'prv_a'").run()).rejects.toThrow(/CHECK/);
  });
});
