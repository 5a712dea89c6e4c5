import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../src/config/settings';
import type { Env } from '../../../src/config/env';

/** Settings parsing never touches the bindings: any object stands in for a D1 database. */
const DB = {} as D1Database;
const REQUESTS = {} as D1Database;
const TOKEN = 'admin-token-0123456789abcdef';
const KEY = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8='; // bytes 0..31

describe('team settings', () => {
  it('are absent without a DB binding: single-upstream mode as before', () => {
    const result = parseSettings({ UPSTREAM_BASE_URL: 'http://127.0.0.1:9000/v1' });
    if (!result.ok) throw result.error;
    expect(result.settings.teams).toBeNull();
  });

  it('with a DB binding, UPSTREAM_BASE_URL becomes optional', () => {
    const result = parseSettings({ DB });
    if (!result.ok) throw result.error;
    expect(result.settings.upstream).toBeNull();
    expect(result.settings.teams).toEqual({
      db: DB,
      encryptionKey: null,
      keyCacheMs: 30_000,
      defaultLimits: { rpm: null, maxStreams: null },
      limiter: null,
    });
  });

  it('reads the admin token, encryption key and cache TTL', () => {
    const result = parseSettings({ DB, ADMIN_TOKEN: ` ${TOKEN} `, ENCRYPTION_KEY: KEY, KEY_CACHE_TTL_MS: '0', UPSTREAM_BASE_URL: 'http://127.0.0.1:9000/v1' });
    if (!result.ok) throw result.error;
    expect(result.settings.admin).toEqual({ token: TOKEN, store: DB });
    expect(result.settings.teams?.encryptionKey).toEqual(Uint8Array.from({ length: 32 }, (_, i) => i));
    expect(result.settings.teams?.keyCacheMs).toBe(0);
    expect(result.settings.upstream?.baseUrl.href).toBe('http://127.0.0.1:9000/v1');
  });

  it('reads the default limits of teams (unset: unlimited) and the limiter binding', () => {
    const limiter = {} as NonNullable<Env['TEAM_LIMITER']>;
    const result = parseSettings({ DB, TEAM_DEFAULT_RPM: '600', TEAM_DEFAULT_MAX_STREAMS: ' 20 ', TEAM_LIMITER: limiter });
    if (!result.ok) throw result.error;
    expect(result.settings.teams?.defaultLimits).toEqual({ rpm: 600, maxStreams: 20 });
    expect(result.settings.teams?.limiter).toBe(limiter);
  });

  it('record requests in the registry in hosted mode, whether or not the admin view is on', () => {
    const result = parseSettings({ DB, REQUESTS });
    if (!result.ok) throw result.error;
    expect(result.settings.requests).toBe(DB);
    expect(result.settings.admin).toBeNull();
  });

  it('in single-upstream mode, the admin token turns the view on over the REQUESTS store, and only then are requests recorded', () => {
    const on = parseSettings({ UPSTREAM_BASE_URL: 'http://x/v1', REQUESTS, ADMIN_TOKEN: TOKEN });
    const off = parseSettings({ UPSTREAM_BASE_URL: 'http://x/v1', REQUESTS });
    if (!on.ok) throw on.error;
    if (!off.ok) throw off.error;
    expect(on.settings).toMatchObject({ teams: null, requests: REQUESTS, admin: { token: TOKEN, store: REQUESTS } });
    expect(off.settings).toMatchObject({ teams: null, requests: null, admin: null });
  });

  it.each<[string, Env, RegExp]>([
    ['admin token without a store', { UPSTREAM_BASE_URL: 'http://x/v1', ADMIN_TOKEN: TOKEN }, /ADMIN_TOKEN is set but there is no D1 binding for the request/],
    ['short admin token', { DB, ADMIN_TOKEN: 'short' }, /ADMIN_TOKEN must be at least 24 characters/],
    ['short admin token, single-upstream', { UPSTREAM_BASE_URL: 'http://x/v1', REQUESTS, ADMIN_TOKEN: 'short' }, /ADMIN_TOKEN must be at least 24 characters/],
    ['encryption key not base64', { DB, ENCRYPTION_KEY: 'not base64!' }, /ENCRYPTION_KEY must be 32 bytes in base64 \(not base64\)/],
    ['encryption key too short', { DB, ENCRYPTION_KEY: 'AAECAwQFBgcICQoLDA0ODw==' }, /ENCRYPTION_KEY must be 32 bytes in base64 \(got 16 bytes\)/],
    ['cache TTL out of range', { DB, KEY_CACHE_TTL_MS: '-1' }, /KEY_CACHE_TTL_MS must be a whole number from 0 to 600000/],
    ['upstream key without an upstream', { DB, UPSTREAM_API_KEY: 'sk-owner', GATEWAY_API_KEYS: 'k1' }, /UPSTREAM_BASE_URL is not/],
    ['bad upstream URL with a registry', { DB, UPSTREAM_BASE_URL: 'ftp://x/v1' }, /UPSTREAM_BASE_URL must use http or https/],
    ['default rpm zero', { DB, TEAM_DEFAULT_RPM: '0' }, /TEAM_DEFAULT_RPM must be a whole number from 1 to 100000, got "0"/],
    ['default streams not a number', { DB, TEAM_DEFAULT_MAX_STREAMS: 'many' }, /TEAM_DEFAULT_MAX_STREAMS must be a whole number from 1 to 10000/],
  ])('%s → a configuration error naming the setting', (_name, env, message) => {
    const result = parseSettings(env);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.body.message).toMatch(message);
    expect(result.error.body.message).not.toContain(TOKEN);
    expect(result.error.body.code).toBe('gateway_misconfigured');
  });
});
