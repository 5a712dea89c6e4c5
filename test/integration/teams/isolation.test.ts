/**
 * Isolation between teams and the life of a key: a team key reaches only its own team's models
 * and providers, never the admin API; unknown, revoked and expired keys and disabled teams are
 * refused before any upstream is called; the key cache keeps a revocation within its TTL.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { CODEX_HEADERS, GATEWAY, sim } from '../support';
import { adminOk, adminRequest, call, createTeam, sim2, teamGet, teamPost, type TestTeam } from './support';

beforeEach(async () => {
  await Promise.all([sim.reset(), sim2.reset()]);
});

const error = (json: Record<string, unknown>): Record<string, unknown> => json['error'] as Record<string, unknown>;

async function teams(): Promise<{ a: TestTeam; b: TestTeam }> {
  const a = await createTeam(
    'team-a',
    [{ name: 'shared-name', sim: 1, api_key: 'sk-a-upstream' }],
    [{ model: 'a-model', targets: [{ provider: 'shared-name' }] }],
  );
  const b = await createTeam(
    'team-b',
    [{ name: 'shared-name', sim: 2, api_key: 'sk-b-upstream' }],
    [{ model: 'b-model', targets: [{ provider: 'shared-name' }] }],
  );
  return { a, b };
}

async function upstreamCalls(): Promise<number> {
  return (await sim.requests()).length + (await sim2.requests()).length;
}

describe('isolation between teams', () => {
  it("team A's key reaches A's models and providers only", async () => {
    const { a, b } = await teams();
    const own = await call(teamPost('/v1/responses', a.key, { model: 'a-model', input: 'hi' }));
    expect(own.status).toBe(200);
    expect(own.headers.get('x-edge-upstream')).toBe('shared-name');
    expect((await sim.requests())[0]?.headers['authorization']).toBe('Bearer sk-a-upstream');

    const other = await call(teamPost('/v1/responses', a.key, { model: 'b-model', input: 'hi' }));
    expect(other.status).toBe(404);
    expect(error(other.json)).toMatchObject({ code: 'model_not_found', param: 'model' });
    expect(await sim2.requests()).toEqual([]);

    const models = await call(teamGet('/v1/models', a.key));
    expect((models.json['data'] as { id: string }[]).map((m) => m.id)).toEqual(['a-model']);
    const theirs = await call(teamGet('/v1/models', b.key));
    expect((theirs.json['data'] as { id: string }[]).map((m) => m.id)).toEqual(['b-model']);
  });

  it('a team key never opens the admin API, not even for its own team', async () => {
    const { a, b } = await teams();
    for (const path of ['/teams', `/teams/${a.id}`, `/teams/${a.id}/keys`, `/teams/${b.id}/providers`, '/audit']) {
      const response = await call(adminRequest('GET', path, undefined, a.key));
      expect(response.status, path).toBe(401);
      expect(String(error(response.json)['message'])).toContain('team key cannot call the admin API');
      const viaApiKey = await call(new Request(`${GATEWAY}/admin${path}`, { headers: { 'x-api-key': a.key } }));
      expect(viaApiKey.status, path).toBe(401);
    }
    const write = await call(adminRequest('POST', `/teams/${a.id}/keys`, {}, a.key));
    expect(write.status).toBe(401);
  });
});

describe('refused keys', () => {
  it.each([
    ['an unknown key', `cxe_${'x'.repeat(43)}`, /unknown team key/],
    ['a malformed team key', 'cxe_short', /invalid team key/],
  ])('%s → 401 before any upstream call', async (_name, key, message) => {
    const response = await call(teamPost('/v1/responses', key, { model: 'a-model', input: 'hi' }));
    expect(response.status).toBe(401);
    expect(error(response.json)).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' });
    expect(String(error(response.json)['message'])).toMatch(message);
    expect(await upstreamCalls()).toBe(0);
  });

  it('a revoked key → 401 at once (final: Codex gets 400, x-should-retry false)', async () => {
    const { a } = await teams();
    expect((await call(teamPost('/v1/responses', a.key, { model: 'a-model', input: 'hi' }))).status).toBe(200);
    await adminOk('POST', `/teams/${a.id}/keys/${a.keyId}/revoke`);
    const refused = await call(teamPost('/v1/responses', a.key, { model: 'a-model', input: 'hi' }));
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-should-retry')).toBe('false');
    expect(String(error(refused.json)['message'])).toMatch(/^codex-edge: team key cxe_\w{8}… was revoked$/);
    const codex = await call(teamPost('/v1/responses', a.key, { model: 'a-model', input: 'hi' }, CODEX_HEADERS));
    expect(codex.status).toBe(400);
    expect(error(codex.json)['code']).toBe('invalid_api_key');
    expect(await sim.requests()).toHaveLength(1);
  });

  it('an expired key → 401, to the second, even while its lookup is cached', async () => {
    const { a } = await teams();
    const key = await adminOk('POST', `/teams/${a.id}/keys`, { expires_at: new Date(Date.now() + 1500).toISOString() });
    const secret = String(key['key']);
    expect((await call(teamGet('/v1/models', secret))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const refused = await call(teamGet('/v1/models', secret));
    expect(refused.status).toBe(401);
    expect(String(error(refused.json)['message'])).toMatch(/expired at/);
    expect(list(await adminOk('GET', `/teams/${a.id}/keys`)).find((k) => k['id'] === key['id'])).toMatchObject({ status: 'expired' });
  });

  it('a disabled team → 403 for all its keys, until it is enabled again', async () => {
    const { a } = await teams();
    await adminOk('PATCH', `/teams/${a.id}`, { enabled: false });
    const refused = await call(teamPost('/v1/responses', a.key, { model: 'a-model', input: 'hi' }));
    expect(refused.status).toBe(403);
    expect(error(refused.json)).toMatchObject({ type: 'permission_error', code: 'team_disabled' });
    await adminOk('PATCH', `/teams/${a.id}`, { enabled: true });
    expect((await call(teamPost('/v1/responses', a.key, { model: 'a-model', input: 'hi' }))).status).toBe(200);
    expect(await sim.requests()).toHaveLength(1);
  });

  it('records when a key was last used', async () => {
    const { a } = await teams();
    expect(list(await adminOk('GET', `/teams/${a.id}/keys`))[0]?.['last_used_at']).toBeNull();
    await call(teamGet('/v1/models', a.key));
    const first = list(await adminOk('GET', `/teams/${a.id}/keys`))[0]?.['last_used_at'];
    expect(first).toEqual(expect.stringMatching(/^\d{4}-/));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await call(teamGet('/v1/models', a.key));
    // One write per lookup: a use within KEY_CACHE_TTL_MS writes nothing
    expect(list(await adminOk('GET', `/teams/${a.id}/keys`))[0]?.['last_used_at']).toBe(first);
  });

  it.each([
    ['revoked', 401, (team: TestTeam) => adminOk('POST', `/teams/${team.id}/keys/${team.keyId}/revoke`)],
    [
      'expired',
      401,
      (team: TestTeam) => env.DB.prepare('UPDATE api_keys SET expires_at = ?1 WHERE id = ?2').bind('2020-01-01T00:00:00.000Z', team.keyId).run(),
    ],
    ['of a disabled team', 403, (team: TestTeam) => adminOk('PATCH', `/teams/${team.id}`, { enabled: false })],
  ])('does not record a use of a key %s: a refusal is not a use', async (_name, status, refuse) => {
    const { a } = await teams();
    await refuse(a);
    expect((await call(teamGet('/v1/models', a.key))).status).toBe(status);
    expect(list(await adminOk('GET', `/teams/${a.id}/keys`))[0]?.['last_used_at']).toBeNull();
  });
});

describe('the key cache', () => {
  it('keeps serving a key revoked elsewhere for up to KEY_CACHE_TTL_MS; with 0 it asks D1 every time', async () => {
    const { a } = await teams();
    const cached = { KEY_CACHE_TTL_MS: '60000' };
    expect((await call(teamGet('/v1/models', a.key), cached)).status).toBe(200);
    // Another isolate's revocation: straight into D1, this isolate's cache does not hear of it.
    await env.DB.prepare('UPDATE api_keys SET revoked_at = ?1 WHERE id = ?2').bind(new Date().toISOString(), a.keyId).run();
    expect((await call(teamGet('/v1/models', a.key), cached)).status).toBe(200);
    expect((await call(teamGet('/v1/models', a.key), { KEY_CACHE_TTL_MS: '0' })).status).toBe(401);
  });
});

describe('a gateway without a single upstream', () => {
  it('answers a non-team key with 401 and serves team keys', async () => {
    const { a } = await teams();
    const refused = await call(teamPost('/v1/responses', 'sk-not-a-team-key', { model: 'a-model', input: 'hi' }), { UPSTREAM_BASE_URL: '' });
    expect(refused.status).toBe(401);
    expect(String(error(refused.json)['message'])).toContain('serves team keys only');
    expect(String(error(refused.json)['message'])).toContain('set UPSTREAM_BASE_URL');
    expect((await call(teamPost('/v1/responses', a.key, { model: 'a-model', input: 'hi' }), { UPSTREAM_BASE_URL: '' })).status).toBe(200);
  });
});

function list(json: Record<string, unknown>): Record<string, unknown>[] {
  return json['data'] as Record<string, unknown>[];
}
