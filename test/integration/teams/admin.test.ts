/**
 * The admin API through the real Worker and the local D1: every resource's happy path (teams,
 * keys, providers, routes) and its 404s and 409s. Field-level 400s: admin-validation.test.ts;
 * the audit log: admin-audit.test.ts; who may call it: admin-access.test.ts.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { admin, adminOk, error, list, simBaseUrl, uniqueTeamId, type Json } from './support';

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
