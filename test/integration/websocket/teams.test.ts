/**
 * The WebSocket transport in hosted mode: a team key opens the socket, each turn is routed by
 * its model like a POST (the provider's stored key and model name upstream), and neither the
 * team key nor the provider key reaches a frame.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { sim } from '../support';
import { createTeam, TEAM_ENV } from '../teams/support';
import { connect, typesOf } from './client';

beforeEach(() => sim.reset());

const UPSTREAM_KEY = 'sk-team-provider-secret-0123456789';

describe('a team key over the WebSocket transport', () => {
  it('opens the socket; a turn goes to the routed provider with its key and model; no key in any frame', async () => {
    const team = await createTeam(
      'ws',
      [{ name: 'main', sim: 1, api_key: UPSTREAM_KEY }],
      [{ model: 'edge-model', targets: [{ provider: 'main', model: 'gpt-test' }] }],
    );
    const socket = await connect(TEAM_ENV, { authorization: `Bearer ${team.key}` });
    expect(socket.response.status).toBe(101);
    const frames = await socket.turn({ type: 'response.create', model: 'edge-model', input: 'hi' });
    expect(typesOf(frames).at(-1)).toBe('response.completed');
    const [upstream] = await sim.requests();
    expect(upstream?.headers['authorization']).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(JSON.parse(upstream?.body ?? '{}')).toMatchObject({ model: 'gpt-test', stream: true });
    const unrouted = await socket.turn({ type: 'response.create', model: 'not-routed', input: 'hi' });
    expect(unrouted).toMatchObject([{ type: 'error', status: 404, error: { code: 'model_not_found' } }]);
    const text = JSON.stringify([...frames, ...unrouted]);
    expect(text).not.toContain(UPSTREAM_KEY);
    expect(text).not.toContain(team.key);
    socket.close();
  });

  it('a revoked or unknown team key is refused at the handshake in the one shape', async () => {
    const socket = await connect(TEAM_ENV, { authorization: 'Bearer cxe_not_a_real_key_0000000000000000' });
    expect(socket.response.webSocket).toBeNull();
    expect(socket.response.status).toBe(400); // a 401, as Codex gets every final error (http/present.ts)
    expect((await socket.response.json<{ error: { type: string } }>()).error.type).toBe('authentication_error');
  });
});
