/**
 * What goes wrong on a WebSocket turn, in workerd against the simulator: malformed frames each
 * get an error frame in the one shape and the socket stays usable; upstream failures before the
 * first event become the error frame or `response.failed` Codex reads as over HTTP (final →
 * it stops, transient → it waits); a stream cut or stalled mid-way ends with a retryable
 * `response.failed`; heartbeats while the upstream is silent; no secret ever reaches a frame.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { EchoKeySpelling } from '../../../simulator/hostile-faults';
import { exposures } from '../secrets/keys';
import { captureLogs, sim } from '../support';
import { MAX_REFUSED_FRAMES } from '../../../src/routes/ws-connection';
import { connect, typesOf, type Frame } from './client';

beforeEach(() => sim.reset());

const create = (body: Record<string, unknown> = {}) => ({ type: 'response.create', model: 'gpt-test', input: [{ role: 'user', content: 'hi' }], ...body });
const failure = (frames: readonly Frame[]) => (frames.at(-1)?.['response'] as Frame | undefined)?.['error'] as Frame | undefined;

describe('malformed frames', () => {
  it.each<[string, unknown, number, string]>([
    ['not JSON', 'this is not json', 400, 'invalid_json'],
    ['a JSON array', '[1,2]', 400, 'invalid_json'],
    ['an unknown type', { type: 'response.cancel' }, 400, 'unknown_frame_type'],
    ['no type', { model: 'gpt-test' }, 400, 'unknown_frame_type'],
    ['a model that is not a string', { type: 'response.create', model: 7 }, 400, 'invalid_type'],
    ['an input that is neither string nor array', { type: 'response.create', model: 'gpt-test', input: 5 }, 400, 'invalid_type'],
    ['a binary frame', new TextEncoder().encode('{}').buffer, 400, 'invalid_frame'],
  ])('%s → an error frame in the one shape; the socket stays usable', async (_name, frame, status, code) => {
    const socket = await connect();
    const [error, ...more] = await socket.turn(frame);
    expect(more).toEqual([]);
    expect(error).toMatchObject({
      type: 'error',
      status,
      error: { message: expect.stringMatching(/^codex-edge: /) as string, type: 'invalid_request_error', code },
      headers: { 'x-should-retry': 'false' },
    });
    expect(Object.keys(error?.['error'] as Frame).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(await sim.requests()).toEqual([]);
    expect(typesOf(await socket.turn(create())).at(-1)).toBe('response.completed');
    socket.close();
  });

  it('frames that are no turn, more than MAX_REFUSED_FRAMES in a row, close the socket (1008): each cost a log line and a stored row', async () => {
    const { lines } = await captureLogs(
      async () => {
        const socket = await connect();
        for (let sent = 0; sent < MAX_REFUSED_FRAMES; sent += 1) expect((await socket.turn('nope'))[0]).toMatchObject({ error: { code: 'invalid_json' } });
        expect(typesOf(await socket.turn(create())).at(-1)).toBe('response.completed'); // a turn starts the count again
        // Frames on their way after the one that closes the socket get no answer and no log line (in this pool none reach the Worker after its close).
        for (let sent = 0; sent < 4 * MAX_REFUSED_FRAMES; sent += 1) socket.send(new TextEncoder().encode('{}').buffer);
        expect(await socket.closed).toEqual({ code: 1008, reason: `codex-edge: more than ${MAX_REFUSED_FRAMES} frames in a row were not turns` });
      },
      2 * MAX_REFUSED_FRAMES + 3,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(lines.filter((line) => line['method'] === 'POST')).toHaveLength(2 * MAX_REFUSED_FRAMES + 2);
    expect(await sim.requests()).toHaveLength(1);
  });

  it('response.create frames the gateway refuses before any upstream request (an input of the wrong type) count as no turn too', async () => {
    const socket = await connect();
    for (let sent = 0; sent < MAX_REFUSED_FRAMES; sent += 1)
      expect((await socket.turn(create({ input: 5 })))[0]).toMatchObject({ error: { code: 'invalid_type' } });
    socket.send(JSON.stringify(create({ input: 5 })));
    expect(await socket.closed).toEqual({ code: 1008, reason: `codex-edge: more than ${MAX_REFUSED_FRAMES} frames in a row were not turns` });
    expect(await sim.requests()).toEqual([]);
  });

  it('a frame over MAX_REQUEST_BODY_BYTES → frame_too_large; the socket stays usable', async () => {
    const socket = await connect({ MAX_REQUEST_BODY_BYTES: '65536' });
    const [error] = await socket.turn(create({ input: 'x'.repeat(200_000) }));
    expect(error).toMatchObject({ type: 'error', error: { code: 'frame_too_large' } });
    expect(typesOf(await socket.turn(create())).at(-1)).toBe('response.completed');
    socket.close();
  });

  it('a frame over the default cap (17 MB against 16 MiB) → frame_too_large, not a closed socket', async () => {
    const socket = await connect();
    const [error] = await socket.turn(create({ input: 'x'.repeat(17_000_000) }));
    expect(error).toMatchObject({ type: 'error', status: 400, error: { code: 'frame_too_large' } }); // a 413, as Codex gets every final error
    expect(typesOf(await socket.turn(create())).at(-1)).toBe('response.completed');
    socket.close();
  });

  it('a 2 MB frame (a whole conversation resent) is taken', async () => {
    const socket = await connect();
    const frames = await socket.turn(create({ input: [{ role: 'user', content: 'x'.repeat(2_000_000) }] }));
    expect(typesOf(frames).at(-1)).toBe('response.completed');
    socket.close();
  });
});

describe('upstream failures', () => {
  it('two resets are retried on the same turn: one turn, three upstream requests, completed', async () => {
    await sim.faults({ kind: 'reset' }, { kind: 'reset' });
    const socket = await connect();
    expect(typesOf(await socket.turn(create())).at(-1)).toBe('response.completed');
    expect(await sim.requests()).toHaveLength(3);
    socket.close();
  });

  it("a final upstream 401 → an error frame Codex stops on (status 400), with the provider's message and no key", async () => {
    await sim.faults({ kind: 'status', status: 401 });
    const socket = await connect(
      { GATEWAY_API_KEYS: 'sk-gw-1-0123456789abcdef', UPSTREAM_API_KEY: 'sk-upstream-secret' },
      { authorization: 'Bearer sk-gw-1-0123456789abcdef' },
    );
    const [error, ...more] = await socket.turn(create());
    expect(more).toEqual([]);
    expect(error).toMatchObject({
      type: 'error',
      status: 400,
      error: { message: expect.stringContaining('answered 401') as string },
      headers: { 'x-should-retry': 'false' },
    });
    expect(JSON.stringify(error)).not.toContain('sk-upstream-secret');
    expect(JSON.stringify(error)).not.toContain('sk-gw-1');
    expect(await sim.requests()).toHaveLength(1);
    socket.close();
  });

  it.each<[string, EchoKeySpelling, 'message' | 'stream-event']>([
    ['upper-cased (a hex key: that is the key) in a 401', 'upper-case', 'message'],
    ['upper-cased in stream events', 'upper-case', 'stream-event'],
    ['JSON-escaped, every character, in stream events', 'unicode-escaped', 'stream-event'],
    ['JSON-escaped, its first character, in stream events', 'first-escaped', 'stream-event'],
  ])('the upstream key echoed %s reaches no frame', async (_name, spelling, where) => {
    const key = '4f0c9e2a7b1d3c5e8f6a0b2c4d6e8f1a';
    await sim.faults({ kind: 'echo-key', where, spelling });
    const socket = await connect({ GATEWAY_API_KEYS: 'sk-gw-1-0123456789abcdef', UPSTREAM_API_KEY: key }, { authorization: 'Bearer sk-gw-1-0123456789abcdef' });
    const frames = await socket.turn(create());
    if (where === 'stream-event') frames.push(await socket.next()); // the turn ends at the echoed `error` event; then response.failed
    expect(frames.at(-1)?.['type']).toMatch(/^(error|response\.failed)$/);
    expect(exposures(key, JSON.stringify(frames))).toEqual([]);
    socket.close();
  });

  it('a transient failure (503 on every attempt) → response.failed with rate_limit_exceeded and "try again in Ns", as over SSE', async () => {
    await sim.faults(...Array.from({ length: 10 }, () => ({ kind: 'status' as const, status: 503 })));
    const socket = await connect({ RETRY_MAX_ATTEMPTS: '2' });
    const frames = await socket.turn(create());
    expect(typesOf(frames)).toEqual(['response.failed']);
    expect(failure(frames)).toMatchObject({ code: 'rate_limit_exceeded', message: expect.stringMatching(/try again in \d+(\.\d+)?s/) as string });
    socket.close();
  });

  it('a stream cut mid-way ends with a retryable response.failed; the next turn on the socket works', async () => {
    await sim.faults({ kind: 'cut', afterEvents: 3 });
    const socket = await connect();
    const frames = await socket.turn(create());
    expect(typesOf(frames).at(-1)).toBe('response.failed');
    expect(failure(frames)?.['code']).not.toBe('context_length_exceeded');
    expect(typesOf(await socket.turn(create())).at(-1)).toBe('response.completed');
    socket.close();
  });

  it('a silent upstream: heartbeat frames Codex ignores, then the idle cap ends the turn with response.failed', async () => {
    await sim.faults({ kind: 'stall', afterEvents: 3 });
    const socket = await connect();
    const frames = await socket.turn(create(), { heartbeats: true });
    expect(typesOf(frames)).toContain('codex_edge.heartbeat');
    expect(typesOf(frames).at(-1)).toBe('response.failed');
    socket.close();
  });

  it('a failed turn keeps the memory: the retry continues the same previous response', async () => {
    const socket = await connect();
    const first = await socket.turn(create());
    const id = String((first.at(-1)?.['response'] as Frame)['id']);
    await sim.faults({ kind: 'cut', afterEvents: 3 });
    expect(typesOf(await socket.turn(create({ previous_response_id: id, input: [] }))).at(-1)).toBe('response.failed');
    expect(typesOf(await socket.turn(create({ previous_response_id: id, input: [] }))).at(-1)).toBe('response.completed');
    socket.close();
  });

  it('closing the socket mid-turn cancels the upstream request: the turn ends client-gone', async () => {
    await sim.faults({ kind: 'stall', afterEvents: 3 });
    const { lines } = await captureLogs(async () => {
      const socket = await connect({ STREAM_IDLE_TIMEOUT_MS: '60000' });
      socket.send(create());
      for (let frame = await socket.next(); frame['type'] !== 'response.created'; frame = await socket.next());
      socket.close();
    }, 2);
    // As over HTTP: the read the gateway's own cancel broke is no upstream failure (it was "the upstream stream broke (Stream was cancelled.)").
    expect(lines.find((line) => line['method'] === 'POST')).toMatchObject({
      transport: 'websocket',
      stream_end: 'client-gone',
      failed: false,
      error_code: null,
      error: null,
    });
    expect(lines.find((line) => line['method'] === 'GET')).toMatchObject({ status: 101, turn: 1 });
  });
});
