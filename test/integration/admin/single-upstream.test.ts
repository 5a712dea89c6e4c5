/**
 * The operator page and admin API of a single-upstream deployment (wrangler.toml's top level: no
 * team registry, the request store in the binding REQUESTS), in workerd: off while ADMIN_TOKEN is
 * unset; sign-in and the session as in hosted mode; the store creates its own table in a fresh
 * database and counts what the simulator did; teams are said to be the hosted mode's; no answer
 * holds a secret.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GATEWAY, callGateway, post, sim } from '../support';
import { ADMIN_TOKEN, call } from '../teams/support';

const UPSTREAM_KEY = 'sk-single-upstream-secret';
const CLIENT_KEY = 'single-client-key-0123456789';
/** A self-deployed gateway: no DB, an upstream key, one client key, the admin token. */
const SINGLE: Partial<Cloudflare.Env> = { DB: undefined, UPSTREAM_API_KEY: UPSTREAM_KEY, GATEWAY_API_KEYS: CLIENT_KEY, ADMIN_TOKEN };
const UI = `${GATEWAY}/admin/ui`;

async function page(path: string, init: RequestInit = {}, overrides: Partial<Cloudflare.Env> = {}): Promise<Response> {
  return callGateway(new Request(`${UI}${path}`, { redirect: 'manual', ...init }), { ...SINGLE, ...overrides });
}

function adminGet(path: string, headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` }): Promise<Awaited<ReturnType<typeof call>>> {
  return call(new Request(`${GATEWAY}/admin${path}`, { headers }), SINGLE);
}

/** Signs in with `token`; the answer and the cookie it set. */
async function signIn(token: string = ADMIN_TOKEN): Promise<{ response: Response; cookie: string }> {
  const response = await page('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: GATEWAY },
    body: new URLSearchParams({ token }).toString(),
  });
  return { response, cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
}

function turn(): Request {
  return post('/v1/responses', { model: 'gpt-test', input: 'hi' }, { authorization: `Bearer ${CLIENT_KEY}` });
}

async function storeTable(): Promise<boolean> {
  return (await env.REQUESTS.prepare("SELECT name FROM sqlite_master WHERE name = 'requests'").first()) !== null;
}

beforeAll(async () => {
  // As freshly provisioned by `wrangler deploy`: no table until the store makes it.
  await env.REQUESTS.prepare('DROP TABLE IF EXISTS requests').run();
});

beforeEach(async () => {
  await sim.reset();
  if (await storeTable()) await env.REQUESTS.prepare('DELETE FROM requests').run();
});

describe('a single-upstream deployment', () => {
  it('has no page and no admin API while ADMIN_TOKEN is unset, and records nothing', async () => {
    for (const path of ['', '/login', '/assets/app.js']) expect((await page(path, {}, { ADMIN_TOKEN: '' })).status).toBe(404);
    expect((await call(new Request(`${GATEWAY}/admin/requests`), { ...SINGLE, ADMIN_TOKEN: '' })).status).toBe(404);
    expect((await call(turn(), { ...SINGLE, ADMIN_TOKEN: '' })).status).toBe(200);
    expect(await storeTable()).toBe(false);
  });

  it('signs in with the admin token only, into an HttpOnly, Secure, SameSite=Strict session', async () => {
    expect((await page('')).headers.get('location')).toBe('/admin/ui/login');
    const teamKey = await signIn(`cxe_${'a'.repeat(43)}`);
    expect(teamKey.response.status).toBe(401);
    expect(teamKey.cookie).toBe('');
    expect((await signIn('not-the-admin-token-0123456789')).response.status).toBe(401);
    const { response, cookie } = await signIn();
    expect(response.status).toBe(303);
    for (const attribute of [/^__Host-/, /HttpOnly/i, /Secure/i, /SameSite=Strict/i]) expect(response.headers.get('set-cookie')).toMatch(attribute);
    expect(cookie).not.toContain(ADMIN_TOKEN);
    expect((await page('', { headers: { cookie } })).status).toBe(200);
    expect(await storeTable()).toBe(true); // the overview's read made it (the previous test left none)
  });

  it('counts relayed requests in the overview and lists them', async () => {
    await sim.faults({ kind: 'status', status: 503 });
    expect((await call(turn(), SINGLE)).status).toBe(200);
    expect((await call(turn(), SINGLE)).status).toBe(200);
    const listed = await adminGet('/requests');
    expect((listed.json['data'] as { outcome: string; team_id: string | null }[]).map(({ outcome, team_id }) => [outcome, team_id])).toEqual([
      ['ok', null],
      ['absorbed', null],
    ]);
    const overview = await adminGet('/overview?period=1h');
    expect(overview.json['totals']).toMatchObject({ requests: 2, ok: 1, absorbed: 1, failed: 0, retries: 1, absorbed_attempts: { '5xx': 1 } });
    const { cookie } = await signIn();
    const shown = await (await page('?period=1h', { headers: { cookie } })).text();
    expect(shown).toMatch(/<dt>Requests<\/dt>\s*<dd>2<\/dd>/);
    expect(shown).toMatch(/<dt>Failures absorbed<\/dt>\s*<dd>1<\/dd>/);
    expect(await (await page('/requests', { headers: { cookie } })).text()).toContain('2 requests, newest first.');
  });

  it('says teams are the hosted mode’s, on the page and in the API, and still checks CSRF on writes', async () => {
    const { cookie } = await signIn();
    const teams = await page('/teams', { headers: { cookie } });
    expect(teams.status).toBe(200);
    expect(await teams.text()).toContain('Teams are the hosted mode');
    expect((await page('/teams/acme', { headers: { cookie } })).status).toBe(404);
    for (const path of ['/teams', '/teams/acme/keys', '/audit']) {
      const answer = await adminGet(path);
      expect(answer.status, path).toBe(404);
      expect(JSON.stringify(answer.json), path).toContain('this deployment has no team registry');
    }
    const write = await call(
      new Request(`${GATEWAY}/admin/teams`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{"id":"x","name":"x"}' }),
      SINGLE,
    );
    expect(write.status).toBe(403);
    expect(write.json).toMatchObject({ error: { code: 'csrf_token_invalid' } });
  });

  it('holds no secret in any page, asset or answer', async () => {
    await sim.faults({ kind: 'status', status: 500 }, { kind: 'status', status: 500 });
    await call(turn(), { ...SINGLE, RETRY_MAX_ATTEMPTS: '2' });
    const { cookie } = await signIn();
    const bodies: string[] = [];
    for (const path of ['', '/providers', '/teams', '/requests', '/assets/app.js', '/login']) {
      const response = await page(path, { headers: { cookie } });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      bodies.push(await response.text());
    }
    for (const path of ['/requests', '/overview', '/teams']) bodies.push(JSON.stringify((await adminGet(path, { cookie })).json));
    bodies.push(JSON.stringify(await env.REQUESTS.prepare('SELECT * FROM requests').all()));
    for (const body of bodies) for (const secret of [ADMIN_TOKEN, UPSTREAM_KEY, CLIENT_KEY]) expect(body).not.toContain(secret);
  });
});
