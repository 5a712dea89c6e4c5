/**
 * A WebSocket connection's credentials are resolved again at every turn, as an HTTP request's
 * are (through the same key cache): a key revoked or expired, or a team disabled, after the
 * handshake gets the error an HTTP request would get, then the socket is closed (1008); a
 * changed route or a rotated provider key applies from the next turn.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { CODEX_HEADERS, sim } from '../support';
import { adminOk, call, createTeam, sim2, simBaseUrl, TEAM_ENV, teamPost, type TestTeam } from '../teams/support';
import { connect, typesOf, type Frame, type Socket } from './client';

beforeEach(async () => {
  await sim.reset();
  await sim2.reset();
});

const UPSTREAM_KEY = 'sk-team-provider-secret-0123456789';
const create = { type: 'response.create', model: 'm', input: 'hi' };

/** A team whose model `m` goes to the first simulator, and a socket opened with its key after one completed turn. */
async function openTeamSocket(label: string, overrides: Partial<Cloudflare.Env> = {}): Promise<{ team: TestTeam; socket: Socket }> {
  const team = await createTeam(label, [{ name: 'main', sim: 1, api_key: UPSTREAM_KEY }], [{ model: 'm', targets: [{ provider: 'main' }] }]);
  const socket = await connect({ ...TEAM_ENV, ...overrides }, { authorization: `Bearer ${team.key}` });
  expect(socket.response.status).toBe(101);
  expect(typesOf(await socket.turn(create)).at(-1)).toBe('response.completed');
  await sim.reset();
  return { team, socket };
}

/** The next turn is refused exactly as an HTTP request with the key is, nothing goes upstream, and the gateway closes the socket with 1008. */
async function expectRefusedThenClosed(socket: Socket, key: string, code: string, overrides: Partial<Cloudflare.Env> = {}): Promise<void> {
  const frames = await socket.turn(create);
  const http = await call(teamPost('/v1/responses', key, { model: 'm', input: 'hi', stream: true }, CODEX_HEADERS), overrides);
  expect(frames).toHaveLength(1);
  const [frame] = frames as [Frame];
  expect(frame).toMatchObject({ type: 'error', status: http.status, error: http.json['error'] as Frame });
  expect(frame['error']).toMatchObject({ code });
  expect(await sim.requests()).toEqual([]);
  expect(await socket.closed).toMatchObject({ code: 1008 });
}

describe('each turn resolves the handshake credentials again', () => {
  it.each<[string, (team: TestTeam) => Promise<unknown>, string]>([
    ['its key is revoked', (team) => adminOk('POST', `/teams/${team.id}/keys/${team.keyId}/revoke`), 'invalid_api_key'],
    ['its team is disabled', (team) => adminOk('PATCH', `/teams/${team.id}`, { enabled: false }), 'team_disabled'],
  ])('a turn after %s gets the error an HTTP request gets, then the socket is closed', async (_name, change, code) => {
    const { team, socket } = await openTeamSocket('wsauth');
    await change(team);
    await expectRefusedThenClosed(socket, team.key, code);
  });

  it('with KEY_CACHE_TTL_MS=0, a revocation made elsewhere (D1 alone, this isolate not told) applies at the next turn', async () => {
    const ttl = { KEY_CACHE_TTL_MS: '0' };
    const { team, socket } = await openTeamSocket('wsttl', ttl);
    await env.DB.prepare('UPDATE api_keys SET revoked_at = ?1 WHERE id = ?2').bind(new Date().toISOString(), team.keyId).run();
    await expectRefusedThenClosed(socket, team.key, 'invalid_api_key', ttl);
  });

  it('a key that expires while the socket is open is refused at its next turn, to the second', async () => {
    const { team, socket: first } = await openTeamSocket('wsexp');
    first.close();
    const key = await adminOk('POST', `/teams/${team.id}/keys`, { name: 'short', expires_at: new Date(Date.now() + 1_000).toISOString() });
    const socket = await connect(TEAM_ENV, { authorization: `Bearer ${String(key['key'])}` });
    expect(typesOf(await socket.turn(create)).at(-1)).toBe('response.completed');
    await sim.reset();
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await expectRefusedThenClosed(socket, String(key['key']), 'invalid_api_key');
  });

  it('a rotated provider key and a changed route apply from the next turn; the new key, echoed, reaches no frame', async () => {
    const { team, socket } = await openTeamSocket('wsroute');
    const rotated = 'rotated-provider-secret-9876543210'; // no known pattern: only the turn's redactor knows it
    await adminOk('PATCH', `/teams/${team.id}/providers/main`, { api_key: rotated });
    await sim.faults({ kind: 'echo-key', where: 'stream-event' });
    const second = await socket.turn(create); // up to the echoed `error` event,
    second.push(await socket.next()); // then the stream's response.failed
    expect(typesOf(second).slice(-2)).toEqual(['error', 'response.failed']);
    expect((await sim.requests()).map((request) => request.headers['authorization'])).toEqual([`Bearer ${rotated}`]);
    expect(JSON.stringify(second)).not.toContain(rotated.slice(0, 8));
    await adminOk('POST', `/teams/${team.id}/providers`, { name: 'other', base_url: simBaseUrl(2), wire_api: 'responses', auth: 'key', api_key: UPSTREAM_KEY });
    await adminOk('PUT', `/teams/${team.id}/routes`, { routes: [{ model: 'm', targets: [{ provider: 'other' }] }] });
    expect(typesOf(await socket.turn(create)).at(-1)).toBe('response.completed');
    expect(await sim2.requests()).toHaveLength(1);
    socket.close();
  });
});
