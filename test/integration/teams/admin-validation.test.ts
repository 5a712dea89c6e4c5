/**
 * The admin API's refusals of what it cannot take: a 400 in the one error shape, naming the field.
 */
import { describe, expect, it } from 'vitest';
import { GATEWAY } from '../support';
import { ADMIN_TOKEN, admin, adminOk, call, error, simBaseUrl, uniqueTeamId } from './support';

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
