import { describe, expect, it } from 'vitest';
import { DEFAULT_CHAT_CAPABILITIES } from '../../../src/config/chat-capabilities';
import { GatewayError } from '../../../src/core/errors';
import {
  validateKeyCreate,
  validateProviderCreate,
  validateProviderPatch,
  validateRoutes,
  validateTeamCreate,
  validateTeamPatch,
} from '../../../src/teams/validate';

/** Runs fn and returns the 400 it throws: its param, code and message. */
function rejection(fn: () => unknown): { param: string | null; code: string | null; message: string } {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    expect(err.status).toBe(400);
    expect(err.body.type).toBe('invalid_request_error');
    expect(err.advice.kind).toBe('final');
    return { param: err.body.param, code: err.body.code, message: err.body.message };
  }
  throw new Error('expected a 400');
}

describe('validateTeamCreate', () => {
  it('takes a name and fills the rest', () => {
    expect(validateTeamCreate({ name: ' Acme ' })).toEqual({ name: 'Acme', overrides: {} });
  });

  it('takes an id, overrides and an allow-list', () => {
    expect(
      validateTeamCreate({
        id: 'acme',
        name: 'Acme',
        enabled: false,
        max_attempts: 3,
        retry_budget_ms: 20_000,
        headers_timeout_ms: null,
        allowed_models: ['gpt-*'],
      }),
    ).toEqual({ id: 'acme', name: 'Acme', enabled: false, overrides: { maxAttempts: 3, budgetMs: 20_000, headersMs: null }, allowedModels: ['gpt-*'] });
  });

  it.each<[string, unknown, string | null, string, RegExp]>([
    ['not an object', [], null, 'invalid_json', /must be a JSON object/],
    ['no name', {}, 'name', 'missing_field', /"name" is required/],
    ['empty name', { name: '  ' }, 'name', 'invalid_value', /must not be empty/],
    ['name not a string', { name: 5 }, 'name', 'invalid_type', /must be a string/],
    ['long name', { name: 'x'.repeat(201) }, 'name', 'invalid_value', /at most 200/],
    ['bad id', { name: 'A', id: 'Acme Inc' }, 'id', 'invalid_value', /lowercase letters/],
    ['enabled not boolean', { name: 'A', enabled: 'yes' }, 'enabled', 'invalid_type', /true or false/],
    ['attempts out of range', { name: 'A', max_attempts: 0 }, 'max_attempts', 'invalid_value', /from 1 to 20, got 0/],
    ['budget not whole', { name: 'A', retry_budget_ms: 1.5 }, 'retry_budget_ms', 'invalid_type', /whole number/],
    ['timeout too short', { name: 'A', headers_timeout_ms: 5 }, 'headers_timeout_ms', 'invalid_value', /from 100/],
    ['idle timeout a string', { name: 'A', stream_idle_timeout_ms: '100' }, 'stream_idle_timeout_ms', 'invalid_type', /whole number/],
    ['allow-list not a list', { name: 'A', allowed_models: 'gpt-5' }, 'allowed_models', 'invalid_type', /must be an array/],
    ['allow-list entry with a space', { name: 'A', allowed_models: ['gpt 5'] }, 'allowed_models[0]', 'invalid_value', /printable ASCII/],
    ['unknown field', { name: 'A', nmae: 'B' }, 'nmae', 'unknown_field', /not a known field/],
    ['rpm zero', { name: 'A', rpm: 0 }, 'rpm', 'invalid_value', /from 1 to 100000, got 0/],
    ['rpm not whole', { name: 'A', rpm: 2.5 }, 'rpm', 'invalid_type', /whole number/],
    ['max_streams too many', { name: 'A', max_streams: 10_001 }, 'max_streams', 'invalid_value', /from 1 to 10000/],
    ['max_streams a string', { name: 'A', max_streams: '4' }, 'max_streams', 'invalid_type', /whole number/],
  ])('%s → 400 on %s', (_name, body, param, code, message) => {
    const error = rejection(() => validateTeamCreate(body));
    expect(error).toMatchObject({ param, code });
    expect(error.message).toMatch(message);
  });
});

describe('validateTeamPatch', () => {
  it('takes limits: a number sets one, null goes back to the deployment default', () => {
    expect(validateTeamCreate({ name: 'A', rpm: 600, max_streams: 8 })).toEqual({ name: 'A', overrides: { rpm: 600, maxStreams: 8 } });
    expect(validateTeamPatch({ rpm: null })).toEqual({ overrides: { rpm: null } });
  });

  it('takes any subset, null clears an override or the allow-list', () => {
    expect(validateTeamPatch({ enabled: false })).toEqual({ enabled: false, overrides: {} });
    expect(validateTeamPatch({ max_attempts: null, allowed_models: null })).toEqual({ overrides: { maxAttempts: null }, allowedModels: null });
  });

  it.each<[string, unknown, string | null, string]>([
    ['empty patch', {}, null, 'missing_field'],
    ['id cannot change', { id: 'other' }, 'id', 'unknown_field'],
    ['name null', { name: null }, 'name', 'invalid_type'],
  ])('%s → 400', (_name, body, param, code) => {
    expect(rejection(() => validateTeamPatch(body))).toMatchObject({ param, code });
  });
});

describe('validateKeyCreate', () => {
  const now = new Date('2030-01-01T00:00:00Z');
  const none = { rpm: null, maxStreams: null };
  it('takes nothing, a name, an expiry, limits of its own', () => {
    expect(validateKeyCreate({}, now)).toEqual({ name: null, expiresAt: null, limits: none });
    expect(validateKeyCreate({ name: 'ci', expires_at: '2030-02-01T00:00:00+01:00' }, now)).toEqual({
      name: 'ci',
      expiresAt: '2030-01-31T23:00:00.000Z',
      limits: none,
    });
    expect(validateKeyCreate({ rpm: 30, max_streams: null }, now)).toEqual({ name: null, expiresAt: null, limits: { rpm: 30, maxStreams: null } });
  });

  it.each<[string, unknown, string, string]>([
    ['expiry in the past', { expires_at: '2029-12-31T23:59:59Z' }, 'expires_at', 'invalid_value'],
    ['expiry not a time', { expires_at: 'tomorrow' }, 'expires_at', 'invalid_value'],
    ['expiry a date only', { expires_at: '2031-01-01' }, 'expires_at', 'invalid_value'],
    ['expiry a number', { expires_at: 1_900_000_000 }, 'expires_at', 'invalid_type'],
    ['name a number', { name: 1 }, 'name', 'invalid_type'],
    ['unknown field', { key: 'cxe_mine' }, 'key', 'unknown_field'],
    ['rpm negative', { rpm: -1 }, 'rpm', 'invalid_value'],
    ['max_streams a string', { max_streams: 'two' }, 'max_streams', 'invalid_type'],
  ])('%s → 400', (_name, body, param, code) => {
    expect(rejection(() => validateKeyCreate(body, now))).toMatchObject({ param, code });
  });
});

describe('validateProviderCreate / Patch', () => {
  const good = { name: 'openai', base_url: 'https://api.openai.com/v1/', wire_api: 'responses', auth: 'key', api_key: 'sk-secret' };

  it('normalises the base URL and keeps the key', () => {
    expect(validateProviderCreate(good)).toEqual({
      name: 'openai',
      baseUrl: 'https://api.openai.com/v1',
      wireApi: 'responses',
      auth: 'key',
      apiKey: 'sk-secret',
    });
    expect(validateProviderCreate({ name: 'byok', base_url: 'http://127.0.0.1:9000/v1', wire_api: 'chat', auth: 'client' })).toMatchObject({
      auth: 'client',
      wireApi: 'chat',
    });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['no name', { ...good, name: undefined }, 'name', 'missing_field'],
    ['bad name', { ...good, name: 'my provider' }, 'name', 'invalid_value'],
    ['no base URL', { ...good, base_url: undefined }, 'base_url', 'missing_field'],
    ['base URL not a URL', { ...good, base_url: 'api.openai.com' }, 'base_url', 'invalid_value'],
    ['base URL with credentials', { ...good, base_url: 'https://u:p@x/v1' }, 'base_url', 'invalid_value'],
    ['base URL ftp', { ...good, base_url: 'ftp://x/v1' }, 'base_url', 'invalid_value'],
    ['no wire API', { ...good, wire_api: undefined }, 'wire_api', 'missing_field'],
    ['unknown wire API', { ...good, wire_api: 'completions' }, 'wire_api', 'invalid_value'],
    ['no auth', { ...good, auth: undefined }, 'auth', 'missing_field'],
    ['unknown auth', { ...good, auth: 'none' }, 'auth', 'invalid_value'],
    ['key auth without key', { ...good, api_key: undefined }, 'api_key', 'missing_field'],
    ['client auth with key', { ...good, auth: 'client' }, 'api_key', 'invalid_value'],
    ['key with a space', { ...good, api_key: 'sk secret' }, 'api_key', 'invalid_value'],
    ['unknown field', { ...good, apikey: 'x' }, 'apikey', 'unknown_field'],
    ['capabilities not an object', { ...good, capabilities: 'developer_role' }, 'capabilities', 'invalid_value'],
    ['an unknown capability', { ...good, capabilities: { developer: true } }, 'capabilities', 'invalid_value'],
    ['a capability of the wrong type', { ...good, capabilities: { reasoning_effort: 'high' } }, 'capabilities', 'invalid_value'],
  ])('%s → 400 on %s', (_name, body, param, code) => {
    const error = rejection(() => validateProviderCreate(body));
    expect(error).toMatchObject({ param, code });
    expect(error.message).not.toContain('sk-secret');
  });

  it('reads capability switches over the defaults; null goes back to the defaults', () => {
    expect(
      validateProviderCreate({ ...good, wire_api: 'chat', capabilities: { developer_role: true, reasoning_effort: ['low', 'high'] } }).capabilities,
    ).toEqual({
      ...DEFAULT_CHAT_CAPABILITIES,
      developerRole: true,
      reasoningEfforts: ['low', 'high'],
    });
    expect(validateProviderPatch({ capabilities: null })).toEqual({ capabilities: DEFAULT_CHAT_CAPABILITIES });
  });

  it.each<[string, unknown, string | null, string]>([
    ['empty patch', {}, null, 'missing_field'],
    ['name cannot change', { name: 'other' }, 'name', 'unknown_field'],
    ['bad base URL', { base_url: 'https://x/v1?key=1' }, 'base_url', 'invalid_value'],
  ])('patch: %s → 400', (_name, body, param, code) => {
    expect(rejection(() => validateProviderPatch(body))).toMatchObject({ param, code });
  });

  it('reads capability switches over the defaults; null goes back to the defaults', () => {
    expect(
      validateProviderCreate({ ...good, wire_api: 'chat', capabilities: { developer_role: true, reasoning_effort: ['low', 'high'] } }).capabilities,
    ).toEqual({
      ...DEFAULT_CHAT_CAPABILITIES,
      developerRole: true,
      reasoningEfforts: ['low', 'high'],
    });
    expect(validateProviderPatch({ capabilities: null })).toEqual({ capabilities: DEFAULT_CHAT_CAPABILITIES });
  });
});

describe('validateRoutes', () => {
  const providers = new Set(['a', 'b']);

  it('keeps order, aliases and target models', () => {
    const body = {
      routes: [
        { model: 'gpt-5', aliases: ['fast'], targets: [{ provider: 'a', model: 'gpt-5-2025' }, { provider: 'b' }] },
        { model: 'gpt-*', targets: [{ provider: 'b', model: null }] },
      ],
    };
    expect(validateRoutes(body, providers)).toEqual([
      {
        model: 'gpt-5',
        aliases: ['fast'],
        targets: [
          { provider: 'a', model: 'gpt-5-2025' },
          { provider: 'b', model: null },
        ],
      },
      { model: 'gpt-*', aliases: [], targets: [{ provider: 'b', model: null }] },
    ]);
    expect(validateRoutes({ routes: [] }, providers)).toEqual([]);
  });

  const route = (extra: Record<string, unknown>): Record<string, unknown> => ({ model: 'm', targets: [{ provider: 'a' }], ...extra });
  it.each<[string, unknown, string, string]>([
    ['no routes field', {}, 'routes', 'missing_field'],
    ['routes not a list', { routes: {} }, 'routes', 'invalid_type'],
    ['route not an object', { routes: ['gpt-5'] }, 'routes[0]', 'invalid_type'],
    ['no model', { routes: [route({ model: undefined })] }, 'routes[0].model', 'missing_field'],
    ['model with a space', { routes: [route({ model: 'gpt 5' })] }, 'routes[0].model', 'invalid_value'],
    ['no targets', { routes: [route({ targets: [] })] }, 'routes[0].targets', 'missing_field'],
    ['too many targets', { routes: [route({ targets: Array.from({ length: 11 }, () => ({ provider: 'a' })) })] }, 'routes[0].targets', 'invalid_value'],
    ['unknown provider', { routes: [route({ targets: [{ provider: 'a' }, { provider: 'z' }] })] }, 'routes[0].targets[1].provider', 'unknown_provider'],
    ['provider twice', { routes: [route({ targets: [{ provider: 'a' }, { provider: 'a' }] })] }, 'routes[0].targets', 'invalid_value'],
    ['target model a pattern', { routes: [route({ targets: [{ provider: 'a', model: 'gpt-*' }] })] }, 'routes[0].targets[0].model', 'invalid_value'],
    ['target unknown field', { routes: [route({ targets: [{ provider: 'a', weight: 2 }] })] }, 'routes[0].targets[0].weight', 'unknown_field'],
    ['alias a pattern', { routes: [route({ aliases: ['m-*'] })] }, 'routes[0].aliases[0]', 'invalid_value'],
    ['aliases on a pattern route', { routes: [route({ model: 'gpt-*', aliases: ['fast'] })] }, 'routes[0].aliases', 'invalid_value'],
    ['model routed twice', { routes: [route({}), route({})] }, 'routes[1].model', 'duplicate_model'],
    ['alias repeats a model', { routes: [route({}), route({ model: 'n', aliases: ['m'] })] }, 'routes[1].aliases[0]', 'duplicate_model'],
    ['unknown route field', { routes: [route({ fallback: true })] }, 'routes[0].fallback', 'unknown_field'],
  ])('%s → 400 on %s', (_name, body, param, code) => {
    expect(rejection(() => validateRoutes(body, providers))).toMatchObject({ param, code });
  });
});
