/**
 * The WebSocket transport of /v1/responses in workerd, against the simulator over HTTP: the
 * handshake (101 after the same authentication as a POST, 426 where switched off), turns as
 * frames, previous_response_id expanded into the full input, prewarm without an upstream
 * request, one turn at a time, and errors as frames in the one shape.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { captureLogs, sim } from '../support';
import { completedId, connect, doneItems, typesOf, type Frame } from './client';

beforeEach(() => sim.reset());

const KEYS: Partial<Cloudflare.Env> = { GATEWAY_API_KEYS: 'sk-gw-1-0123456789abcdef', UPSTREAM_API_KEY: 'sk-upstream-secret' };
const create = (body: Record<string, unknown> = {}) => ({ type: 'response.create', model: 'gpt-test', input: [{ role: 'user', content: 'hi' }], ...body });
const upstreamBodies = async (): Promise<Frame[]> => (await sim.requests()).map((request) => JSON.parse(request.body) as Frame);

describe('the handshake', () => {
  it('is upgraded (101) after the same authentication as HTTP', async () => {
    const socket = await connect(KEYS, { authorization: 'Bearer sk-gw-1-0123456789abcdef' });
    expect(socket.response.status).toBe(101);
    socket.close();
  });

  it.each([
    ['no key', {}, 401],
    ['a wrong key', { authorization: 'Bearer sk-wrong' }, 401],
  ])('with %s → an HTTP error in the one shape, not an upgrade', async (_name, headers, status) => {
    const socket = await connect(KEYS, { authorization: '', ...headers });
    expect(socket.response.status).toBe(status === 401 ? 400 : status); // Codex gets final errors as 400 (http/present.ts)
    expect(socket.response.webSocket).toBeNull();
    const doc = await socket.response.json<{ error: { code: string; message: string } }>();
    expect(doc.error.code).toBe('invalid_api_key');
    expect(JSON.stringify(doc)).not.toContain('sk-upstream-secret');
  });

  it('gets 426 where the transport is switched off (WEBSOCKET_TRANSPORT=off)', async () => {
    const socket = await connect({ WEBSOCKET_TRANSPORT: 'off' });
    expect(socket.response.status).toBe(426);
    expect((await socket.response.json<{ error: { code: string } }>()).error.code).toBe('websocket_not_supported');
  });
});

describe('turns', () => {
  it('a response.create is one upstream POST with stream: true and the handshake identity; its events come back one per frame', async () => {
    const socket = await connect();
    const frames = await socket.turn(create({ store: false }));
    expect(typesOf(frames).slice(0, 2)).toEqual(['response.metadata', 'response.created']);
    expect(typesOf(frames).at(-1)).toBe('response.completed');
    expect(doneItems(frames)).toMatchObject([{ type: 'message' }]);
    const [upstream, ...more] = await sim.requests();
    expect(more).toEqual([]);
    // The headers an HTTP answer would carry reach the client in the metadata frame (x-codex-turn-state among them when the upstream sends it).
    expect(frames[0]?.['headers']).toMatchObject({ 'x-request-id': expect.stringMatching(/^req_/) as string, 'x-edge-attempts': '1' });
    expect(upstream).toMatchObject({ method: 'POST', path: '/v1/responses' });
    expect(upstream?.headers).toMatchObject({ authorization: 'Bearer sk-client-key', originator: 'codex_exec', accept: 'text/event-stream' });
    expect(upstream?.headers['openai-beta']).toBeUndefined();
    expect(JSON.parse(upstream?.body ?? '')).toEqual({ model: 'gpt-test', input: [{ role: 'user', content: 'hi' }], store: false, stream: true });
    socket.close();
  });

  it('previous_response_id is expanded: the upstream gets the whole conversation, the client sent only the new items', async () => {
    const socket = await connect();
    const first = await socket.turn(create());
    const [answer] = doneItems(first);
    const second = await socket.turn(create({ previous_response_id: completedId(first), input: [{ role: 'user', content: 'and then?' }] }));
    expect(typesOf(second).at(-1)).toBe('response.completed');
    const [, upstream] = await upstreamBodies();
    expect(upstream?.['previous_response_id']).toBeUndefined();
    expect(upstream?.['input']).toEqual([{ role: 'user', content: 'hi' }, answer, { role: 'user', content: 'and then?' }]);
    // A third turn continues the second, and so on.
    await socket.turn(create({ previous_response_id: completedId(second), input: [{ role: 'user', content: 'three' }] }));
    const [, , third] = await upstreamBodies();
    expect((third?.['input'] as unknown[]).length).toBe(5);
    socket.close();
  });

  it('an unknown previous_response_id → an error frame with previous_response_not_found, no upstream request; the socket stays usable', async () => {
    const socket = await connect();
    const [error] = await socket.turn(create({ previous_response_id: 'resp_unknown', input: [] }));
    expect(error).toMatchObject({ type: 'error', status: 400, error: { code: 'previous_response_not_found', param: 'previous_response_id' } });
    expect(await sim.requests()).toEqual([]);
    expect(typesOf(await socket.turn(create())).at(-1)).toBe('response.completed');
    socket.close();
  });

  it('over the memory cap the connection forgets, and a continuation gets previous_response_not_found naming the cap', async () => {
    const socket = await connect({ WEBSOCKET_SESSION_MAX_BYTES: '100' });
    const first = await socket.turn(create());
    const [error] = await socket.turn(create({ previous_response_id: completedId(first), input: [] }));
    expect(error).toMatchObject({ type: 'error', error: { code: 'previous_response_not_found' } });
    expect(JSON.stringify(error)).toContain('WEBSOCKET_SESSION_MAX_BYTES');
    socket.close();
  });

  it('generate: false (prewarm) is answered without an upstream request, and the next turn continues it', async () => {
    const socket = await connect();
    const prewarm = await socket.turn(create({ generate: false }));
    expect(typesOf(prewarm)).toEqual(['response.created', 'response.completed']);
    expect(await sim.requests()).toEqual([]);
    await socket.turn(create({ previous_response_id: completedId(prewarm), input: [{ role: 'user', content: 'go' }] }));
    const [upstream] = await upstreamBodies();
    expect(upstream?.['input']).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'user', content: 'go' },
    ]);
    expect(upstream?.['generate']).toBeUndefined();
    socket.close();
  });

  it('a second response.create while a turn runs gets an error frame; the running turn completes', async () => {
    await sim.faults({ kind: 'delay', ms: 200 });
    const socket = await connect();
    socket.send(create());
    const busy = await socket.turn(create());
    expect(busy).toMatchObject([{ type: 'error', error: { code: 'response_in_progress' } }]);
    const rest: Frame[] = [];
    for (let frame = await socket.next(); ; frame = await socket.next()) {
      rest.push(frame);
      if (frame['type'] === 'response.completed') break;
    }
    expect(await sim.requests()).toHaveLength(1);
    socket.close();
  });

  it("a response.processed acknowledgement (newer Codex) gets no frame and is not a turn, even as the turn's last event goes out", async () => {
    const socket = await connect();
    socket.send(create());
    socket.send({ type: 'response.processed', response_id: 'resp_any' });
    const first: Frame[] = [];
    for (let frame = await socket.next(); ; frame = await socket.next()) {
      first.push(frame);
      if (frame['type'] === 'response.completed') break;
    }
    socket.send({ type: 'response.processed', response_id: completedId(first) });
    const second = await socket.turn(create({ previous_response_id: completedId(first), input: [{ role: 'user', content: 'next' }] }));
    expect(typesOf(first).filter((type) => type === 'error')).toEqual([]);
    expect(typesOf(second).slice(0, 2)).toEqual(['response.metadata', 'response.created']);
    expect(typesOf(second).at(-1)).toBe('response.completed');
    expect(await sim.requests()).toHaveLength(2);
    socket.close();
  });

  it('writes one log line per turn (transport websocket, the connection id, the turn number) and one for the connection', async () => {
    const { lines } = await captureLogs(async () => {
      const socket = await connect();
      await socket.turn(create());
      await socket.turn(create());
      socket.close();
    }, 3);
    const turns = lines.filter((line) => line['method'] === 'POST');
    const [connection] = lines.filter((line) => line['method'] === 'GET');
    expect(connection).toMatchObject({ transport: 'websocket', status: 101, turn: 2 });
    expect(turns).toMatchObject([
      { transport: 'websocket', connection: connection?.['request_id'], turn: 1, status: 200, stream_end: 'terminal' },
      { transport: 'websocket', connection: connection?.['request_id'], turn: 2, status: 200, stream_end: 'terminal' },
    ]);
  });
});
