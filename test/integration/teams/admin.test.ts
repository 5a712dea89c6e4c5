/**
 * The admin API through the real Worker and the local D1: every resource's happy path, the
 * refusals (field-level 400s in the one error shape, 404s, 409s), and the audit log.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { GATEWAY } from '../support';
import { ADMIN_TOKEN, admin, adminOk, adminRequest, call, simBaseUrl, uniqueTeamId } from './support';

type Json = Record<string, unknown>;
const list = (json: Json): Json[] => json['data'] as Json[];
const error = (json: Json): Json => json['error'] as Json;

describe('admin API: teams', () => {
  it('creates, lists, reads, updates and disables a team', async () => {
    const id = uniqueTeamId('crud');
    const created = await admin('POST', '/teams', { id, name: 'Acme', max_attempts: 3, allowed_models: ['gpt-*'] });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id, object: 'team', name: 'Acme', enabled: true, max_attempts: 3, retry_budget_ms: null, allowed_models: ['gpt-*'] });

    expect(list(await adminOk('GET', '/teams')).map((team) => team['id'])).toContain(id);
    expect(await adminOk('GET', `/teams/${id}`)).toEqual(created.json);

    const updated = await adminOk('PATCH', `/teams/${id}`, { name: 'Acme Inc', max_attempts: null, retry_budget_ms: 20_000, allowed_models: null });
    expect(updated).toMatchObject({ name: 'Acme Inc', max_attempts: null, retry_budget_ms: 20_000, allowed_models: null, enabled: true });
    expect(await adminOk('PATCH', `/teams/${id}`, { enabled: false })).toMatchObject({ enabled: false, name: 'Acme Inc' });
  });

  it("sets, changes and clears a team's limits and a key's, each change audited", async () => {
    const id = uniqueTeamId('limits');
    const created = await adminOk('POST', '/teams', { id, name: 'Limited', rpm: 600, max_streams: 8 });
    expect(created).toMatchObject({ rpm: 600, max_streams: 8 });
    expect(await adminOk('PATCH', `/teams/${id}`, { rpm: null, max_streams: 4 })).toMatchObject({ rpm: null, max_streams: 4 });
    expect(await adminOk('GET', `/teams/${id}`)).toMatchObject({ rpm: null, max_streams: 4 });
    const key = await adminOk('POST', `/teams/${id}/keys`, { name: 'ci', rpm: 30 });
    expect(key).toMatchObject({ rpm: 30, max_streams: null });
    expect(list(await adminOk('GET', `/teams/${id}/keys`))[0]).toMatchObject({ id: key['id'], rpm: 30, max_streams: null });

    const entries = list(await adminOk('GET', `/audit?team=${id}`));
    expect(entries.map((entry) => [entry['action'], entry['details']])).toEqual([
      ['key.create', expect.objectContaining({ rpm: 30, max_streams: null })],
      ['team.update', { rpm: null, max_streams: 4 }],
      ['team.create', expect.objectContaining({ rpm: 600, max_streams: 8 })],
    ]);
  });

  it('generates an id when none is given', async () => {
    const created = await adminOk('POST', '/teams', { name: 'No id' });
    expect(created['id']).toMatch(/^team_[0-9A-Za-z]{13}$/);
  });

  it('refuses a duplicate id with 409 and unknown teams with 404', async () => {
    const id = uniqueTeamId('dup');
    await adminOk('POST', '/teams', { id, name: 'A' });
    const duplicate = await admin('POST', '/teams', { id, name: 'B' });
    expect(duplicate.status).toBe(409);
    expect(error(duplicate.json)).toMatchObject({ code: 'team_exists', type: 'invalid_request_error' });
    for (const [method, path] of [
      ['GET', '/teams/nobody'],
      ['PATCH', '/teams/nobody'],
      ['GET', '/teams/nobody/keys'],
      ['POST', '/teams/nobody/providers'],
      ['PUT', '/teams/nobody/routes'],
    ] as const) {
      const missing = await admin(method, path, method === 'GET' ? undefined : { name: 'x' });
      expect(missing.status, `${method} ${path}`).toBe(404);
      expect(error(missing.json)['code']).toBe('team_not_found');
    }
  });
});

describe('admin API: keys', () => {
  it('creates a key (the secret once), lists it without the secret, revokes it', async () => {
    const id = uniqueTeamId('keys');
    await adminOk('POST', '/teams', { id, name: 'Keys' });
    const created = await admin('POST', `/teams/${id}/keys`, { name: 'laptop', expires_at: '2099-01-01T00:00:00Z' });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const secret = String(created.json['key']);
    expect(secret).toMatch(/^cxe_[0-9A-Za-z]{43}$/);
    expect(created.json).toMatchObject({
      team_id: id,
      name: 'laptop',
      prefix: secret.slice(0, 12),
      status: 'active',
      expires_at: '2099-01-01T00:00:00.000Z',
      revoked_at: null,
      last_used_at: null,
    });

    const listed = list(await adminOk('GET', `/teams/${id}/keys`));
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(secret.slice(12));
    expect(listed[0]).not.toHaveProperty('key');
    expect(listed[0]).not.toHaveProperty('hash');

    const stored = await env.DB.prepare('SELECT * FROM api_keys WHERE id = ?1').bind(created.json['id']).first<Json>();
    expect(JSON.stringify(stored)).not.toContain(secret.slice(12));

    const revoked = await adminOk('POST', `/teams/${id}/keys/${String(created.json['id'])}/revoke`);
    expect(revoked).toMatchObject({ status: 'revoked' });
    expect(revoked['revoked_at']).toEqual(expect.any(String));
    expect(await adminOk('POST', `/teams/${id}/keys/${String(created.json['id'])}/revoke`)).toEqual(revoked); // idempotent
    expect((await admin('POST', `/teams/${id}/keys/key_nothere/revoke`)).status).toBe(404);
  });
});

describe('admin API: providers', () => {
  it('creates, lists, reads, updates and deletes providers; keys are write-only', async () => {
    const id = uniqueTeamId('prov');
    await adminOk('POST', '/teams', { id, name: 'Providers' });
    const created = await admin('POST', `/teams/${id}/providers`, {
      name: 'openai',
      base_url: `${simBaseUrl(1)}/`,
      wire_api: 'responses',
      auth: 'key',
      api_key: 'sk-admin-test-secret',
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ object: 'team.provider', name: 'openai', base_url: simBaseUrl(1), wire_api: 'responses', auth: 'key', has_key: true });
    expect(JSON.stringify(created.json)).not.toContain('sk-admin-test-secret');

    const stored = await env.DB.prepare('SELECT key_ciphertext FROM providers WHERE team_id = ?1').bind(id).first<{ key_ciphertext: string }>();
    expect(stored?.key_ciphertext).toMatch(/^v1\./);
    expect(stored?.key_ciphertext).not.toContain('sk-admin');

    await adminOk('POST', `/teams/${id}/providers`, { name: 'byok', base_url: simBaseUrl(2), wire_api: 'chat', auth: 'client' });
    expect(list(await adminOk('GET', `/teams/${id}/providers`)).map((p) => [p['name'], p['auth'], p['has_key']])).toEqual([
      ['openai', 'key', true],
      ['byok', 'client', false],
    ]);
    expect(await adminOk('GET', `/teams/${id}/providers/openai`)).toEqual(created.json);

    // Switching to the client's key drops the stored key; switching back needs a new one.
    expect(await adminOk('PATCH', `/teams/${id}/providers/openai`, { auth: 'client' })).toMatchObject({ auth: 'client', has_key: false });
    const needsKey = await admin('PATCH', `/teams/${id}/providers/openai`, { auth: 'key' });
    expect(needsKey.status).toBe(400);
    expect(error(needsKey.json)).toMatchObject({ param: 'api_key', code: 'missing_field' });
    expect(await adminOk('PATCH', `/teams/${id}/providers/openai`, { auth: 'key', api_key: 'sk-rotated', wire_api: 'chat' })).toMatchObject({
      auth: 'key',
      has_key: true,
      wire_api: 'chat',
    });
    const clientWithKey = await admin('PATCH', `/teams/${id}/providers/byok`, { api_key: 'sk-x' });
    expect(error(clientWithKey.json)).toMatchObject({ param: 'api_key', code: 'invalid_value' });

    const duplicate = await admin('POST', `/teams/${id}/providers`, { name: 'byok', base_url: simBaseUrl(2), wire_api: 'chat', auth: 'client' });
    expect(duplicate.status).toBe(409);
    expect(error(duplicate.json)['code']).toBe('provider_exists');

    // A routed provider cannot be deleted; an unrouted one can.
    await adminOk('PUT', `/teams/${id}/routes`, { routes: [{ model: 'm', targets: [{ provider: 'openai' }] }] });
    const inUse = await admin('DELETE', `/teams/${id}/providers/openai`);
    expect(inUse.status).toBe(409);
    expect(error(inUse.json)).toMatchObject({ code: 'provider_in_use' });
    expect(await adminOk('DELETE', `/teams/${id}/providers/byok`)).toMatchObject({ name: 'byok', deleted: true });
    expect((await admin('GET', `/teams/${id}/providers/byok`)).status).toBe(404);
  });

  it('cannot store a provider key without ENCRYPTION_KEY (a configuration error naming it)', async () => {
    const id = uniqueTeamId('nokey');
    await adminOk('POST', '/teams', { id, name: 'No encryption' });
    const refused = await admin(
      'POST',
      `/teams/${id}/providers`,
      { name: 'p', base_url: simBaseUrl(1), wire_api: 'responses', auth: 'key', api_key: 'sk-x' },
      { ENCRYPTION_KEY: '' },
    );
    expect(refused.status).toBe(500);
    expect(error(refused.json)).toMatchObject({ code: 'gateway_misconfigured' });
    expect(String(error(refused.json)['message'])).toContain('ENCRYPTION_KEY');
  });
});

describe('admin API: routes', () => {
  it('sets and reads the whole route table, in order', async () => {
    const id = uniqueTeamId('routes');
    await adminOk('POST', '/teams', { id, name: 'Routes' });
    await adminOk('POST', `/teams/${id}/providers`, { name: 'a', base_url: simBaseUrl(1), wire_api: 'responses', auth: 'client' });
    await adminOk('POST', `/teams/${id}/providers`, { name: 'b', base_url: simBaseUrl(2), wire_api: 'responses', auth: 'client' });
    const routes = [
      {
        model: 'gpt-5',
        aliases: ['fast'],
        targets: [
          { provider: 'a', model: 'gpt-5-a' },
          { provider: 'b', model: null },
        ],
      },
      { model: 'gpt-*', aliases: [], targets: [{ provider: 'b', model: null }] },
    ];
    expect(await adminOk('PUT', `/teams/${id}/routes`, { routes })).toEqual({ object: 'team.routes', team_id: id, routes });
    expect(await adminOk('GET', `/teams/${id}/routes`)).toEqual({ object: 'team.routes', team_id: id, routes });
    expect(await adminOk('PUT', `/teams/${id}/routes`, { routes: [] })).toMatchObject({ routes: [] });
    expect((await adminOk('GET', `/teams/${id}/routes`))['routes']).toEqual([]);
  });
});

describe('admin API: validation', () => {
  it.each<[string, string, string, unknown, string | null, string]>([
    ['team without name', 'POST', '/teams', {}, 'name', 'missing_field'],
    ['team with a bad id', 'POST', '/teams', { id: 'Not OK', name: 'x' }, 'id', 'invalid_value'],
    ['team with an unknown field', 'POST', '/teams', { name: 'x', admin: true }, 'admin', 'unknown_field'],
    ['team override out of range', 'POST', '/teams', { name: 'x', retry_budget_ms: -1 }, 'retry_budget_ms', 'invalid_value'],
    ['team rpm of zero', 'POST', '/teams', { name: 'x', rpm: 0 }, 'rpm', 'invalid_value'],
    ['team max_streams as text', 'PATCH', '/teams/{team}', { max_streams: '4' }, 'max_streams', 'invalid_type'],
    ['team rpm above the range', 'PATCH', '/teams/{team}', { rpm: 100_001 }, 'rpm', 'invalid_value'],
    ['key rpm not whole', 'POST', '/teams/{team}/keys', { rpm: 1.5 }, 'rpm', 'invalid_type'],
    ['key max_streams of zero', 'POST', '/teams/{team}/keys', { max_streams: 0 }, 'max_streams', 'invalid_value'],
    ['empty team patch', 'PATCH', '/teams/{team}', {}, null, 'missing_field'],
    ['team patch enabled as text', 'PATCH', '/teams/{team}', { enabled: 'no' }, 'enabled', 'invalid_type'],
    ['key expiring in the past', 'POST', '/teams/{team}/keys', { expires_at: '2000-01-01T00:00:00Z' }, 'expires_at', 'invalid_value'],
    ['provider without base_url', 'POST', '/teams/{team}/providers', { name: 'p', wire_api: 'responses', auth: 'client' }, 'base_url', 'missing_field'],
    [
      'provider with a bad base_url',
      'POST',
      '/teams/{team}/providers',
      { name: 'p', base_url: 'file:///etc', wire_api: 'responses', auth: 'client' },
      'base_url',
      'invalid_value',
    ],
    [
      'provider with an unknown wire API',
      'POST',
      '/teams/{team}/providers',
      { name: 'p', base_url: 'https://x/v1', wire_api: 'completions', auth: 'client' },
      'wire_api',
      'invalid_value',
    ],
    [
      'provider with key auth and no key',
      'POST',
      '/teams/{team}/providers',
      { name: 'p', base_url: 'https://x/v1', wire_api: 'responses', auth: 'key' },
      'api_key',
      'missing_field',
    ],
    [
      'routes to an unknown provider',
      'PUT',
      '/teams/{team}/routes',
      { routes: [{ model: 'm', targets: [{ provider: 'ghost' }] }] },
      'routes[0].targets[0].provider',
      'unknown_provider',
    ],
    [
      'routes naming a model twice',
      'PUT',
      '/teams/{team}/routes',
      {
        routes: [
          { model: 'm', targets: [{ provider: 'p' }] },
          { model: 'n', aliases: ['m'], targets: [{ provider: 'p' }] },
        ],
      },
      'routes[1].aliases[0]',
      'duplicate_model',
    ],
    ['routes without targets', 'PUT', '/teams/{team}/routes', { routes: [{ model: 'm', targets: [] }] }, 'routes[0].targets', 'missing_field'],
    ['audit limit out of range', 'GET', '/audit?limit=0', undefined, 'limit', 'invalid_value'],
  ])('%s → 400 naming the field', async (_name, method, path, body, param, code) => {
    const id = uniqueTeamId('valid');
    await adminOk('POST', '/teams', { id, name: 'Validation' });
    await adminOk('POST', `/teams/${id}/providers`, { name: 'p', base_url: simBaseUrl(1), wire_api: 'responses', auth: 'client' });
    const refused = await admin(method, path.replace('{team}', id), body);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/json');
    expect(error(refused.json)).toMatchObject({ type: 'invalid_request_error', param, code });
    expect(String(error(refused.json)['message'])).toMatch(/^codex-edge: /);
  });

  it('refuses a body that is not JSON', async () => {
    const refused = await call(new Request(`${GATEWAY}/admin/teams`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, body: '{name:' }));
    expect(refused.status).toBe(400);
    expect(error(refused.json)['code']).toBe('invalid_json');
  });
});

describe('admin API: audit log', () => {
  it('records who changed what and when, without secrets', async () => {
    const id = uniqueTeamId('audit');
    await adminOk('POST', '/teams', { id, name: 'Audited' });
    await adminOk('POST', `/teams/${id}/providers`, { name: 'p', base_url: simBaseUrl(1), wire_api: 'responses', auth: 'key', api_key: 'sk-audit-secret' });
    await adminOk('PUT', `/teams/${id}/routes`, { routes: [{ model: 'm', targets: [{ provider: 'p' }] }] });
    const key = await adminOk('POST', `/teams/${id}/keys`, {});
    await adminOk('POST', `/teams/${id}/keys/${String(key['id'])}/revoke`);
    await adminOk('PATCH', `/teams/${id}`, { enabled: false });

    const entries = list(await adminOk('GET', `/audit?team=${id}`));
    expect(entries.map((entry) => entry['action'])).toEqual(['team.update', 'key.revoke', 'key.create', 'routes.set', 'provider.create', 'team.create']);
    for (const entry of entries) {
      expect(entry).toMatchObject({ actor: 'test-suite', team_id: id });
      expect(entry['at']).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/));
      expect(entry['request_id']).toEqual(expect.stringMatching(/^req_edge_/));
    }
    expect(entries[0]?.['details']).toEqual({ enabled: false });
    expect(entries[4]?.['details']).toMatchObject({ api_key: 'set', auth: 'key' });
    const text = JSON.stringify(entries);
    expect(text).not.toContain('sk-audit-secret');
    expect(text).not.toContain(String(key['key']));

    const paged = list(await adminOk('GET', `/audit?team=${id}&limit=2&before=${String(entries[1]?.['id'])}`));
    expect(paged.map((entry) => entry['action'])).toEqual(['key.create', 'routes.set']);
  });

  it('records a change by a caller without x-admin-actor as "admin"', async () => {
    const id = uniqueTeamId('actor');
    await call(
      new Request(`${GATEWAY}/admin/teams`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify({ id, name: 'x' }) }),
    );
    expect(list(await adminOk('GET', `/audit?team=${id}`))[0]).toMatchObject({ actor: 'admin', action: 'team.create' });
  });
});

describe('admin API: access', () => {
  it('does not exist (404) while ADMIN_TOKEN is unset, and says how to turn it on', async () => {
    const response = await call(adminRequest('GET', '/teams'), { ADMIN_TOKEN: '' });
    expect(response.status).toBe(404);
    expect(error(response.json)['code']).toBe('unknown_url');
    expect(error(response.json)['message']).toMatch(
      /^codex-edge: the admin API is off: ADMIN_TOKEN is not set; set it .*\.dev\.vars\.hosted.*wrangler secret put ADMIN_TOKEN --env hosted/,
    );
  });

  it('does not exist (404) on a single-upstream deployment while ADMIN_TOKEN is unset, and says how to turn it on there', async () => {
    const response = await call(adminRequest('GET', '/teams'), { ADMIN_TOKEN: '', DB: undefined });
    expect(response.status).toBe(404);
    expect(error(response.json)['message']).toMatch(/the admin API is off: ADMIN_TOKEN is not set; .* in \.dev\.vars and .*secret put ADMIN_TOKEN \(/);
  });

  it.each([
    ['no token', null],
    ['a wrong token', 'test-admin-token-0123456789abcdeX'],
    ['a prefix of the token', ADMIN_TOKEN.slice(0, -1)],
  ])('refuses %s with 401', async (_name, token) => {
    const request = token === null ? new Request(`${GATEWAY}/admin/teams`) : adminRequest('GET', '/teams', undefined, token);
    const response = await call(request);
    expect(response.status).toBe(401);
    expect(error(response.json)).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' });
  });
});
