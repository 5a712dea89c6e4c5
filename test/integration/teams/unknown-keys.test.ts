/**
 * A flood of unknown team keys costs the registry at most one lookup per key per window: an
 * isolate remembers "unknown" for min(10 s, KEY_CACHE_TTL_MS), apart from the keys it knows, so
 * that the flood neither reaches D1 again nor pushes known keys out of the cache. A key created
 * meanwhile is a different key (random), so it works at once.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { sim } from '../support';
import { call, createTeam, teamGet, teamPost } from './support';

beforeEach(() => sim.reset());

/** The registry, counting the key lookups it answers (each is one batch that starts with the api_keys query). */
function countingDb(): { db: D1Database; lookups: () => number } {
  let lookups = 0;
  const db = new Proxy(env.DB, {
    get(target, property) {
      if (property === 'batch') {
        return async (statements: D1PreparedStatement[]) => {
          lookups += 1;
          return target.batch(statements);
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db, lookups: () => lookups };
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A well-formed team key that no team has. */
function randomTeamKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(43));
  return `cxe_${[...bytes].map((byte) => BASE62[byte % 62]).join('')}`;
}

describe('unknown team keys', () => {
  it('the same unknown key 50 times → 50 × 401, one D1 lookup', async () => {
    const { db, lookups } = countingDb();
    const key = randomTeamKey();
    for (let i = 0; i < 50; i += 1) {
      const refused = await call(teamGet('/v1/models', key), { DB: db });
      expect(refused.status).toBe(401);
      expect(refused.json).toMatchObject({ error: { code: 'invalid_api_key', message: 'codex-edge: unknown team key' } });
    }
    expect(lookups()).toBe(1);
  });

  it('50 concurrent requests with one unknown key share one lookup', async () => {
    const { db, lookups } = countingDb();
    const key = randomTeamKey();
    const statuses = await Promise.all(Array.from({ length: 50 }, async () => (await call(teamGet('/v1/models', key), { DB: db })).status));
    expect(statuses.every((status) => status === 401)).toBe(true);
    expect(lookups()).toBe(1);
  });

  it('a key created while unknown keys are remembered works at once', async () => {
    const { db, lookups } = countingDb();
    await call(teamGet('/v1/models', randomTeamKey()), { DB: db });
    const team = await createTeam('fresh-key', [{ name: 'p', sim: 1, api_key: 'sk-upstream' }], [{ model: 'm', targets: [{ provider: 'p' }] }]);
    expect((await call(teamPost('/v1/responses', team.key, { model: 'm', input: 'hi' }), { DB: db })).status).toBe(200);
    expect(lookups()).toBe(2);
  });

  it('a known key is served from memory through a flood of unknown keys (the bound: test/unit/teams/cache.test.ts)', async () => {
    const team = await createTeam('flooded', [{ name: 'p', sim: 1, api_key: 'sk-upstream' }], [{ model: 'm', targets: [{ provider: 'p' }] }]);
    const { db, lookups } = countingDb();
    expect((await call(teamGet('/v1/models', team.key), { DB: db })).status).toBe(200);
    const flood = Array.from({ length: 300 }, randomTeamKey);
    for (const key of flood) expect((await call(teamGet('/v1/models', key), { DB: db })).status).toBe(401);
    expect(lookups()).toBe(301);
    expect((await call(teamGet('/v1/models', team.key), { DB: db })).status).toBe(200);
    expect(lookups()).toBe(301);
  });

  it('"unknown" is remembered no longer than KEY_CACHE_TTL_MS when that is shorter than 10 s', async () => {
    const { db, lookups } = countingDb();
    const key = randomTeamKey();
    const short = { DB: db, KEY_CACHE_TTL_MS: '200' };
    await call(teamGet('/v1/models', key), short);
    await call(teamGet('/v1/models', key), short);
    expect(lookups()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await call(teamGet('/v1/models', key), short);
    expect(lookups()).toBe(2);
  });

  it('with KEY_CACHE_TTL_MS=0 nothing is remembered: every request asks D1', async () => {
    const { db, lookups } = countingDb();
    const key = randomTeamKey();
    for (let i = 0; i < 3; i += 1) await call(teamGet('/v1/models', key), { DB: db, KEY_CACHE_TTL_MS: '0' });
    expect(lookups()).toBe(3);
  });
});
