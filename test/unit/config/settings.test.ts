import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../src/config/settings';
import { NUMBER_SETTINGS } from '../../../src/config/tunables';
import type { Env } from '../../../src/config/env';

const base: Env = { UPSTREAM_BASE_URL: 'http://127.0.0.1:9000/v1' };

describe('parseSettings', () => {
  it('needs nothing but UPSTREAM_BASE_URL and fills every default', () => {
    const result = parseSettings(base);
    if (!result.ok) throw result.error;
    expect(result.settings.upstream?.baseUrl.href).toBe('http://127.0.0.1:9000/v1');
    expect(result.settings.upstream?.auth).toEqual({ kind: 'client' });
    expect(result.settings.access).toEqual({ kind: 'open' });
    expect(result.settings.retry.maxAttempts).toBe(NUMBER_SETTINGS.maxAttempts.fallback);
    expect(result.settings.timeouts.heartbeatMs).toBe(15_000);
    expect(result.settings.timeouts.streamIdleMs).toBe(300_000);
  });

  it('uses the gateway key upstream when client keys are configured', () => {
    const result = parseSettings({ ...base, UPSTREAM_API_KEY: 'sk-owner', GATEWAY_API_KEYS: 'client-key-one-0123, client-key-two-4567' });
    if (!result.ok) throw result.error;
    expect(result.settings.upstream?.auth).toEqual({ kind: 'key', key: 'sk-owner' });
    expect(result.settings.access).toEqual({ kind: 'keys', keys: ['client-key-one-0123', 'client-key-two-4567'] });
  });

  it.each<[string, Env, RegExp]>([
    ['missing base URL', {}, /UPSTREAM_BASE_URL is not set/],
    ['invalid base URL', { UPSTREAM_BASE_URL: 'not a url' }, /UPSTREAM_BASE_URL is not a valid URL/],
    ['wrong scheme', { UPSTREAM_BASE_URL: 'ftp://x/v1' }, /UPSTREAM_BASE_URL must use http or https/],
    ['credentials in URL', { UPSTREAM_BASE_URL: 'https://u:p@x/v1' }, /without credentials/],
    ['an upstream key and no client keys: never an open relay', { ...base, UPSTREAM_API_KEY: 'sk-owner' }, /GATEWAY_API_KEYS is empty/],
    ['client keys without an upstream key', { ...base, GATEWAY_API_KEYS: 'k1' }, /UPSTREAM_API_KEY is not/],
    [
      'a client key under 16 characters, named by its place, not shown',
      { ...base, UPSTREAM_API_KEY: 'sk-owner', GATEWAY_API_KEYS: 'client-key-one-0123, short-key' },
      /GATEWAY_API_KEYS: key 2 \(in the list\) is shorter than 16 characters .*openssl rand -hex 32/,
    ],
    ['not a number', { ...base, RETRY_MAX_ATTEMPTS: 'many' }, /RETRY_MAX_ATTEMPTS must be a whole number from 1 to 20, got "many"/],
    ['out of range', { ...base, HEARTBEAT_INTERVAL_MS: '1' }, /HEARTBEAT_INTERVAL_MS must be a whole number/],
    ['fractional', { ...base, MAX_REQUEST_BODY_BYTES: '2048.5' }, /MAX_REQUEST_BODY_BYTES/],
  ])('%s → a configuration error naming the setting', (_name, env, message) => {
    const result = parseSettings(env);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.body.message).toMatch(message);
    expect(result.error.body.code).toBe('gateway_misconfigured');
    expect(result.error.advice.kind).toBe('final');
    expect(result.error.body.message).not.toContain('sk-owner');
    expect(result.error.body.message).not.toContain('short-key');
  });
});
