/**
 * Secrets stay secret: a run that creates keys and providers and sends traffic (successes,
 * fallbacks, upstream errors that echo the key, refusals) leaves no upstream key, no team key
 * and no admin token in any response body or header, nor in anything the Worker logged.
 * The one exception by design: the key-creation response shows its new key once.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CODEX_HEADERS, GATEWAY, bodyText, callGateway, sim, sseEvents } from '../support';
import { ADMIN_TOKEN, TEAM_ENV, adminRequest, createTeam, sim2, simBaseUrl, teamGet, teamPost, uniqueTeamId } from './support';

const UPSTREAM_KEYS = ['sk-secret-primary-0123456789', 'sk-secret-backup-0123456789', 'sk-secret-rotated-0123456789', 'sk-developer-own-0123456789'];

interface Seen {
  readonly label: string;
  readonly text: string;
}

const seen: Seen[] = [];
const logged: string[] = [];

/** Sends a request and keeps everything the client got back: status line, headers, body. */
async function send(label: string, request: Request, overrides: Partial<Cloudflare.Env> = {}): Promise<Response> {
  const response = await callGateway(request, { ...TEAM_ENV, ...overrides });
  const body = await bodyText(response.clone());
  seen.push({ label, text: `${response.status}\n${[...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}\n\n${body}` });
  return response;
}

beforeEach(async () => {
  await Promise.all([sim.reset(), sim2.reset()]);
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('secrets', () => {
  it('never appear in responses or logs', async () => {
    const team = await createTeam(
      'secrets',
      [
        { name: 'primary', sim: 1, api_key: UPSTREAM_KEYS[0] },
        { name: 'backup', sim: 2, api_key: UPSTREAM_KEYS[1] },
        { name: 'own', sim: 1 },
      ],
      [
        { model: 'gpt-5', targets: [{ provider: 'primary' }, { provider: 'backup' }] },
        { model: 'mine', targets: [{ provider: 'own' }] },
      ],
    );
    const teamKeys = [team.key];
    const created = await send('create key', adminRequest('POST', `/teams/${team.id}/keys`, { name: 'second' }));
    teamKeys.push(String((await created.json<Record<string, unknown>>())['key']));
    const keyCreations = seen.length;

    // Admin traffic: reads, an update that rotates an upstream key, refusals.
    await send('list teams', adminRequest('GET', '/teams'));
    await send('list providers', adminRequest('GET', `/teams/${team.id}/providers`));
    await send('read provider', adminRequest('GET', `/teams/${team.id}/providers/primary`));
    await send('rotate key', adminRequest('PATCH', `/teams/${team.id}/providers/backup`, { api_key: UPSTREAM_KEYS[2] }));
    await send(
      'bad provider',
      adminRequest('POST', `/teams/${team.id}/providers`, {
        name: 'bad name',
        base_url: simBaseUrl(1),
        wire_api: 'responses',
        auth: 'key',
        api_key: UPSTREAM_KEYS[0],
      }),
    );
    await send(
      'client auth with key',
      adminRequest('POST', `/teams/${team.id}/providers`, {
        name: 'p2',
        base_url: simBaseUrl(1),
        wire_api: 'responses',
        auth: 'client',
        api_key: UPSTREAM_KEYS[0],
      }),
    );
    await send('list keys', adminRequest('GET', `/teams/${team.id}/keys`));
    await send('audit', adminRequest('GET', `/audit?team=${team.id}`));
    await send('admin with team key', adminRequest('GET', '/teams', undefined, team.key));
    await send('admin with wrong token', adminRequest('GET', '/teams', undefined, `${ADMIN_TOKEN}x`));
    await send('new team', adminRequest('POST', '/teams', { id: uniqueTeamId('secrets-b'), name: 'B' }));

    // API traffic: success, fallback, upstream errors that echo the key, refusals.
    const stream = await send('stream', teamPost('/v1/responses', team.key, { model: 'gpt-5', stream: true, input: 'hi' }, CODEX_HEADERS));
    seen.push({ label: 'stream body', text: JSON.stringify(await sseEvents(stream)) });
    await sim.faults({ kind: 'status', status: 503 });
    await send('fallback', teamPost('/v1/responses', team.key, { model: 'gpt-5', input: 'hi' }));
    await sim.faults({
      kind: 'status',
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${UPSTREAM_KEYS[0]}`, type: 'invalid_request_error', code: 'invalid_api_key' } },
    });
    await send('upstream echoes its key', teamPost('/v1/responses', teamKeys[1] ?? '', { model: 'gpt-5', input: 'hi' }));
    await sim.faults({ kind: 'status', status: 403, body: `forbidden for Bearer ${UPSTREAM_KEYS[3]}` });
    await send(
      'upstream echoes the client key',
      teamPost('/v1/responses', team.key, { model: 'mine', input: 'hi' }, { authorization: `Bearer ${UPSTREAM_KEYS[3]}`, 'x-api-key': team.key }),
    );
    await send('client key missing', teamPost('/v1/responses', team.key, { model: 'mine', input: 'hi' }));
    await send('unrouted model', teamPost('/v1/responses', team.key, { model: 'nope', input: 'hi' }, CODEX_HEADERS));
    await send('models', teamGet('/v1/models', team.key));
    await send('codex config', teamGet('/v1/codex-config', team.key));
    await send('chat', teamPost('/v1/chat/completions', team.key, { model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }] }));
    await send('unknown team key', teamPost('/v1/responses', `cxe_${'Z'.repeat(43)}`, { model: 'gpt-5', input: 'hi' }));
    await send('revoke', adminRequest('POST', `/teams/${team.id}/keys/${team.keyId}/revoke`));
    await send('revoked key', teamPost('/v1/responses', team.key, { model: 'gpt-5', input: 'hi' }));
    await send('single-upstream request', new Request(`${GATEWAY}/v1/models`, { headers: { authorization: 'Bearer sk-client-key' } }));

    expect(seen.length).toBeGreaterThan(25);
    expect(logged.length).toBeGreaterThan(25);
    // The traffic did reach the upstreams with the right keys (the secrets were real and in use).
    const upstreamAuth = [...(await sim.requests()), ...(await sim2.requests())].map((r) => r.headers['authorization']);
    expect(upstreamAuth).toEqual(expect.arrayContaining([`Bearer ${UPSTREAM_KEYS[0]}`, `Bearer ${UPSTREAM_KEYS[2]}`, `Bearer ${UPSTREAM_KEYS[3]}`]));

    const everything = [
      ...seen.map((s, i) => ({ ...s, keyCreation: i < keyCreations && s.label === 'create key' })),
      ...logged.map((text) => ({ label: 'log', text, keyCreation: false })),
    ];
    for (const { label, text, keyCreation } of everything) {
      for (const secret of [...UPSTREAM_KEYS, ADMIN_TOKEN, ...(keyCreation ? [] : teamKeys)]) {
        expect(text.includes(secret), `${label} contains a secret (${secret.slice(0, 6)}…):\n${text}`).toBe(false);
      }
    }
    // Nor their distinctive tails (a secret cut to fit a message is still a leak).
    const tails = [...UPSTREAM_KEYS.map((k) => k.slice(-16)), ADMIN_TOKEN.slice(-16), ...teamKeys.map((k) => k.slice(-24))];
    for (const { label, text, keyCreation } of everything) {
      for (const tail of tails) {
        if (keyCreation && teamKeys.some((k) => k.endsWith(tail))) continue;
        expect(text.includes(tail), `${label} contains the tail of a secret`).toBe(false);
      }
    }
  });
});
