/**
 * When the team registry itself is the problem: a record this version cannot read is a final
 * 500 that names it (retrying reads the same row), never silently read as a default; a registry
 * that does not answer is a retryable 503, its cause in the log line and never in the answer.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { captureLogs, CODEX_HEADERS, sim } from '../support';
import { admin, call, createTeam, teamPost } from './support';

beforeEach(async () => {
  await sim.reset();
});

describe('a registry record the gateway cannot read', () => {
  it.each([
    ['wire_api', 'grpc'],
    ['auth', 'mtls'],
  ])('a provider with an unknown %s is a final 500 naming it, before any upstream call', async (column, value) => {
    const team = await createTeam('corrupt', [{ name: 'p', sim: 1, api_key: 'sk-up-corrupt' }], [{ model: 'm', targets: [{ provider: 'p' }] }]);
    // As a newer version's migration (or a hand edit) would leave it: past this version's CHECK constraint.
    await env.DB.batch([
      env.DB.prepare('PRAGMA ignore_check_constraints = ON'),
      env.DB.prepare(`UPDATE providers SET ${column} = ?1 WHERE team_id = ?2`).bind(value, team.id),
      env.DB.prepare('PRAGMA ignore_check_constraints = OFF'),
    ]);

    const { result, lines } = await captureLogs(() => call(teamPost('/v1/responses', team.key, { model: 'm', input: 'hi' })));
    expect(result.status).toBe(500);
    expect(result.headers.get('x-should-retry')).toBe('false');
    expect(result.headers.get('retry-after')).toBeNull();
    expect(result.json['error']).toMatchObject({ code: 'registry_corrupt', type: 'server_error' });
    expect(String((result.json['error'] as Record<string, unknown>)['message'])).toContain(`${column} = "${value}"`);
    expect(await sim.requests()).toEqual([]);
    expect(lines.find((line) => line['msg'] === 'request')).toMatchObject({ status: 500, error_code: 'registry_corrupt' });

    const codex = await call(teamPost('/v1/responses', team.key, { model: 'm', input: 'hi' }, CODEX_HEADERS));
    expect(codex.status).toBe(400); // final for Codex: one request, not thirty
  });
});

describe('a registry that does not answer', () => {
  it('is a retryable 503; the cause goes to the log line, not to the client', async () => {
    const team = await createTeam('no-db', [{ name: 'p', sim: 1, api_key: 'sk-up-nodb' }], [{ model: 'm', targets: [{ provider: 'p' }] }]);
    const { result, lines } = await captureLogs(() => call(teamPost('/v1/responses', team.key, { model: 'm', input: 'hi' }), { DB: env.EMPTY_DB }));
    expect(result.status).toBe(503);
    expect(result.headers.get('x-should-retry')).toBe('true');
    expect(result.json['error']).toMatchObject({ code: 'registry_unavailable' });
    expect(JSON.stringify(result.json)).not.toMatch(/no such table|at /);
    const line = lines.find((entry) => entry['msg'] === 'request');
    expect(line?.['error_cause']).toMatch(/no such table/);
    expect(JSON.stringify(line)).not.toContain(team.key);
  });
});

describe('an unexpected failure inside the gateway', () => {
  it('is a final 500 internal_error; its stack goes to the log line, never to the client', async () => {
    const broken = {} as D1Database; // every call on it throws a TypeError
    const { result, lines } = await captureLogs(() => admin('GET', '/teams', undefined, { DB: broken }));
    expect(result.status).toBe(500);
    expect(result.json['error']).toEqual({ message: 'codex-edge: internal error', type: 'server_error', code: 'internal_error', param: null });
    const line = lines.find((entry) => entry['msg'] === 'request');
    expect(line).toMatchObject({ status: 500, error_code: 'internal_error' });
    expect(line?.['error_cause']).toMatch(/TypeError[\s\S]*\n\s+at /);
  });
});
