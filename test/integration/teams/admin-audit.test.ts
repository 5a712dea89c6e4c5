/**
 * The admin API's audit log: who changed what and when, without secrets, paged.
 */
import { describe, expect, it } from 'vitest';
import { GATEWAY } from '../support';
import { ADMIN_TOKEN, adminOk, call, list, simBaseUrl, uniqueTeamId } from './support';

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
