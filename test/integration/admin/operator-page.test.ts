/**
 * The operator page's server side, in workerd: it is off while ADMIN_TOKEN is unset; sign-in
 * takes the admin token only (never a team key) and gives an HttpOnly, Secure, SameSite=Strict
 * session cookie; pages and assets never hold a secret; writes through the admin API need the
 * session's CSRF token and land in the audit log; an expired session is refused; and the
 * recent-request store counts what the simulator did.
 */
import { env } from 'cloudflare:workers';
import { generateSignedCookie } from 'hono/cookie';
import { beforeEach, describe, expect, it } from 'vitest';
import { GATEWAY, callGateway, post, sim } from '../support';
import { SESSION_COOKIE } from '../../../src/admin/session';
import { REQUEST_WINDOW } from '../../../src/http/request-store';
import { ADMIN_TOKEN, ENCRYPTION_KEY, TEAM_ENV, admin, adminOk, call, list, uniqueTeamId } from '../teams/support';
import { connect } from '../websocket/client';

const UI = `${GATEWAY}/admin/ui`;

async function page(path: string, init: RequestInit = {}, overrides: Partial<Cloudflare.Env> = {}): Promise<Response> {
  return callGateway(new Request(`${UI}${path}`, { redirect: 'manual', ...init }), { ADMIN_TOKEN, ENCRYPTION_KEY, ...overrides });
}

async function signIn(token: string = ADMIN_TOKEN): Promise<Response> {
  return page('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: GATEWAY },
    body: new URLSearchParams({ token }).toString(),
  });
}

/** Signs in; returns the cookie to send and the page's CSRF token. */
async function session(): Promise<{ cookie: string; csrf: string }> {
  const response = await signIn();
  expect(response.status).toBe(303);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const overview = await (await page('', { headers: { cookie } })).text();
  const csrf = /<meta name="csrf-token" content="([0-9a-f]+)"/.exec(overview)?.[1] ?? '';
  expect(csrf).not.toBe('');
  return { cookie, csrf };
}

function apiWrite(path: string, body: unknown, headers: Record<string, string>): Request {
  return new Request(`${GATEWAY}/admin${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

beforeEach(async () => {
  await sim.reset();
});

describe('the operator page', () => {
  it('does not exist while ADMIN_TOKEN is unset', async () => {
    for (const path of ['', '/login', '/assets/app.js']) expect((await page(path, {}, { ADMIN_TOKEN: '' })).status).toBe(404);
  });

  it('sends a browser without a session to sign in, and takes the admin token only', async () => {
    for (const path of [`${GATEWAY}/admin`, `${UI}/`]) {
      const redirected = await callGateway(new Request(path, { redirect: 'manual' }), { ADMIN_TOKEN });
      expect(redirected.headers.get('location'), path).toBe('/admin/ui');
    }
    const anonymous = await page('');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/admin/ui/login');
    const teamKey = await signIn(`cxe_${'a'.repeat(43)}`);
    expect(teamKey.status).toBe(401);
    expect(await teamKey.text()).toContain('A team key cannot sign in');
    expect(teamKey.headers.get('set-cookie')).toBeNull();
    expect((await signIn('not-the-admin-token-0123456789')).status).toBe(401);
  });

  it('refuses a sign-in form posted from another origin', async () => {
    const response = await page('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
    });
    expect(response.status).toBe(403);
  });

  it('keeps the session in an HttpOnly, Secure, SameSite=Strict cookie that is not the token', async () => {
    const response = await signIn();
    expect(response.status).toBe(303);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^__Host-${SESSION_COOKIE}=`));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toContain(ADMIN_TOKEN);
  });

  it('shows every view, and no page, asset or API answer holds a secret', async () => {
    const teamId = uniqueTeamId('page');
    await adminOk('POST', '/teams', { id: teamId, name: 'Page team' });
    await adminOk('POST', `/teams/${teamId}/providers`, {
      name: 'sim',
      base_url: 'https://upstream.example/v1',
      wire_api: 'responses',
      auth: 'key',
      api_key: 'sk-page-upstream-secret',
    });
    const created = await adminOk('POST', `/teams/${teamId}/keys`, { name: 'alice' });
    const teamKey = String(created['key']);
    const { cookie } = await session();
    const bodies: string[] = [];
    for (const path of ['', '?period=1h', '/providers', '/teams', `/teams/${teamId}`, '/requests', '/assets/app.js', '/assets/app.css', '/login']) {
      const response = await page(path, { headers: { cookie } });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      bodies.push(await response.text());
    }
    for (const path of ['/requests', '/overview', `/teams/${teamId}/keys`, `/teams/${teamId}/providers`]) {
      const response = await call(new Request(`${GATEWAY}/admin${path}`, { headers: { cookie } }));
      expect(response.status, path).toBe(200);
      bodies.push(JSON.stringify(response.json));
    }
    const team = bodies[4] ?? '';
    expect(team).toContain(String(created['prefix']));
    expect(team).toContain('stored, encrypted');
    for (const body of bodies) {
      for (const secret of [ADMIN_TOKEN, ENCRYPTION_KEY, teamKey, 'sk-page-upstream-secret']) expect(body).not.toContain(secret);
    }
  });

  it('refuses team keys on the page and its API', async () => {
    const teamId = uniqueTeamId('page-key');
    await adminOk('POST', '/teams', { id: teamId, name: 'T' });
    const teamKey = String((await adminOk('POST', `/teams/${teamId}/keys`, {}))['key']);
    const onPage = await page('', { headers: { authorization: `Bearer ${teamKey}` } });
    expect(onPage.status).toBe(303);
    const onApi = await call(new Request(`${GATEWAY}/admin/requests`, { headers: { authorization: `Bearer ${teamKey}` } }));
    expect(onApi.status).toBe(401);
    expect(JSON.stringify(onApi.json)).toContain('team key cannot call the admin API');
  });

  it('refuses a write without the CSRF token, and audits one with it', async () => {
    const { cookie, csrf } = await session();
    const teamId = uniqueTeamId('csrf');
    const without = await call(apiWrite('/teams', { id: teamId, name: 'No' }, { cookie }));
    expect(without.status).toBe(403);
    expect(without.json).toMatchObject({ error: { code: 'csrf_token_invalid' } });
    const wrong = await call(apiWrite('/teams', { id: teamId, name: 'No' }, { cookie, 'x-csrf-token': '0'.repeat(64) }));
    expect(wrong.status).toBe(403);
    expect((await admin('GET', `/teams/${teamId}`)).status).toBe(404);
    const withToken = await call(apiWrite('/teams', { id: teamId, name: 'Yes' }, { cookie, 'x-csrf-token': csrf, 'x-admin-actor': 'operator-page' }));
    expect(withToken.status).toBe(201);
    const audit = await adminOk('GET', `/audit?team=${teamId}`);
    expect(audit['data']).toEqual([expect.objectContaining({ action: 'team.create', actor: 'operator-page' })]);
  });

  it('refuses an expired session, and one signed with another token', async () => {
    const expired = await generateSignedCookie(SESSION_COOKIE, `${Date.now() - 1000}.${'0'.repeat(32)}`, ADMIN_TOKEN, {
      path: '/',
      secure: true,
      prefix: 'host',
    });
    const forged = await generateSignedCookie(SESSION_COOKIE, `${Date.now() + 60_000}.${'0'.repeat(32)}`, 'another-token-0123456789abcdef', {
      path: '/',
      secure: true,
      prefix: 'host',
    });
    for (const setCookie of [expired, forged]) {
      const cookie = setCookie.split(';')[0] ?? '';
      expect((await page('', { headers: { cookie } })).status).toBe(303);
      expect((await call(new Request(`${GATEWAY}/admin/requests`, { headers: { cookie } }))).status).toBe(401);
    }
  });

  it('ends the session on sign-out', async () => {
    const { cookie, csrf } = await session();
    const out = await page('/logout', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: GATEWAY },
      body: new URLSearchParams({ csrf }).toString(),
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
  });
});

describe('the recent-request store', () => {
  it('keeps each API request with its outcome, and the overview counts absorbed failures by kind', async () => {
    await env.DB.prepare('DELETE FROM requests').run();
    await sim.faults({ kind: 'status', status: 503 }, { kind: 'reset' });
    const turn = () => post('/v1/responses', { model: 'gpt-test', input: 'hi' });
    expect((await call(turn())).status).toBe(200);
    expect((await call(turn())).status).toBe(200);
    await sim.faults(...Array.from({ length: 10 }, () => ({ kind: 'status' as const, status: 500 })));
    expect((await call(turn(), { RETRY_MAX_ATTEMPTS: '2' })).status).toBeGreaterThanOrEqual(500);
    const listed = await adminOk('GET', '/requests');
    const outcomes = (listed['data'] as { outcome: string }[]).map((record) => record.outcome);
    expect(outcomes).toEqual(['failed', 'ok', 'absorbed']);
    const overview = await adminOk('GET', '/overview?period=1h');
    // The reset after the 503 is taken for our own stale connection: absorbed as a lost connection, reconnected at once, no retry.
    expect(overview['totals']).toMatchObject({ requests: 3, ok: 1, absorbed: 1, failed: 1, retries: 2, absorbed_attempts: { '5xx': 1, transport: 1 } });
  });

  it('counts a WebSocket turn as one request, as over HTTP: its connection and a prewarm are counted apart', async () => {
    await env.DB.prepare('DELETE FROM requests').run();
    const socket = await connect(TEAM_ENV);
    expect(socket.response.status).toBe(101);
    const create = (generate: boolean) => ({ type: 'response.create', model: 'gpt-test', input: [{ role: 'user', content: 'hi' }], generate });
    expect((await socket.turn(create(false))).at(-1)?.['type']).toBe('response.completed');
    expect((await socket.turn(create(true))).at(-1)?.['type']).toBe('response.completed');
    socket.close();
    await socket.closed;
    const rows = async () => (await env.DB.prepare('SELECT COUNT(*) AS n FROM requests').first<{ n: number }>())?.n ?? 0;
    for (let waited = 0; (await rows()) < 3 && waited < 2000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    const outcomes = (list(await adminOk('GET', '/requests')) as { outcome: string }[]).map((record) => record.outcome);
    expect(outcomes.sort()).toEqual(['connection', 'ok', 'prewarm']);
    // A connection's row stored before connections had an outcome of their own (as ok) is read as one.
    const columns = 'at, request_id, method, route, status, outcome, attempts, retries, fallback, ttfb_ms';
    await env.DB.prepare(`INSERT INTO requests (${columns}) VALUES (?1, 'r-old', 'GET', '/v1/responses', 101, 'ok', '[]', 0, 0, 0)`).bind(Date.now()).run();
    const overview = await adminOk('GET', '/overview?period=1h');
    expect(overview['totals']).toMatchObject({ requests: 1, ok: 1, connections: 2, prewarms: 1 });
    const { cookie } = await session();
    const shown = await (await page('?period=1h', { headers: { cookie } })).text();
    expect(shown).toMatch(/<dt>WebSocket connections<\/dt>\s*<dd>2<\/dd>/);
    expect(shown).toMatch(/<dt>Requests<\/dt>\s*<dd>1<\/dd>/);
  });

  it('keeps no key in a row: neither one a provider echoes in its error code nor one in the path, on the page or in the API', async () => {
    await env.DB.prepare('DELETE FROM requests').run();
    const key = 'client-own-key-0123456789abcdef'; // no known pattern: only the request's own redactor finds it
    await sim.faults({ kind: 'echo-key', where: 'code' });
    expect((await call(post('/v1/responses', { model: 'gpt-test', input: 'hi' }, { authorization: `Bearer ${key}` }))).status).toBe(401);
    await call(new Request(`${GATEWAY}/v1/files/${key}`, { headers: { authorization: `Bearer ${key}` } }));
    const listed = await adminOk('GET', '/requests');
    const rows = listed['data'] as { route: string; error_code: string | null }[];
    expect(rows.map((row) => row.route)).toEqual(['[redacted]', '/v1/responses']); // a path is one token: all of it goes
    expect(rows[1]?.error_code).toBe('[redacted]');
    const { cookie } = await session();
    const shown = await (await page('/requests', { headers: { cookie } })).text();
    for (const text of [JSON.stringify(listed), shown]) expect(text).not.toContain(key.slice(0, 8));
  });

  it('keeps every request of a burst', async () => {
    await env.DB.prepare('DELETE FROM requests').run();
    const burst = 40;
    const answers = await Promise.all(Array.from({ length: burst }, () => call(post('/v1/responses', { model: 'gpt-test', input: 'hi' }))));
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: burst }, () => 200));
    const row = await env.DB.prepare("SELECT COUNT(*) AS rows FROM requests WHERE outcome = 'ok'").first<{ rows: number }>();
    expect(row?.rows).toBe(burst);
  });

  it('keeps a rolling window: never more than REQUEST_WINDOW rows, the oldest dropped', async () => {
    await env.DB.prepare('DELETE FROM requests').run();
    const extra = 10;
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
       INSERT INTO requests (at, request_id, method, route, outcome, attempts, retries, fallback)
       SELECT i, 'r' || i, 'POST', '/v1/responses', 'ok', '[]', 0, 0 FROM n`,
    )
      .bind(REQUEST_WINDOW + extra)
      .run();
    const row = await env.DB.prepare('SELECT COUNT(*) AS rows, MIN(at) AS oldest FROM requests').first<{ rows: number; oldest: number }>();
    expect(row).toEqual({ rows: REQUEST_WINDOW, oldest: extra + 1 });
    await env.DB.prepare('DELETE FROM requests').run();
  });
});
