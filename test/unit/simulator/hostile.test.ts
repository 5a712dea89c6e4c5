/**
 * Hostile faults (echo-key, huge, trickle, redirect; gzip-bomb has its own file): what a
 * client reading with bare node:http receives, queued from code and through the control
 * API, and counted in stats(). Each test gets its own simulator.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeHostileFault } from '../../../simulator/hostile-faults';
import { startSimulator, type Fault, type Simulator } from '../../../simulator/server';
import { rawRequest, sseData, type RawOptions } from './raw-client';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
  vi.restoreAllMocks();
});

/** Not a real key; '+', '/' and '=' make its URL-encoded form differ from it. */
const KEY = 'sk-proj-Zx9+Secret/Key=0123456789abcdef';
const AUTH = { authorization: `Bearer ${KEY}` };
const STREAM = { model: 'gpt-test', input: 'hi', stream: true };
const CHAT_STREAM = { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }], stream: true };

const post = (path: string, body: unknown = STREAM, options: RawOptions = {}) => rawRequest(`${sim.baseUrl}${path}`, { body, headers: AUTH, ...options });
const errorOf = (body: Buffer): Record<string, unknown> => (JSON.parse(body.toString()) as { error: Record<string, unknown> }).error;

/** Counts the intervals started from now on and not yet cleared (a trickle runs on one). */
function intervals(): () => number {
  const started = vi.spyOn(globalThis, 'setInterval');
  const cleared = vi.spyOn(globalThis, 'clearInterval');
  return () => started.mock.results.filter((result) => !cleared.mock.calls.some(([timer]) => timer === result.value)).length;
}

describe('echo-key', () => {
  it('message, code, type, param: a 401 OpenAI error carrying the bearer token in that field', async () => {
    sim.enqueue(
      { kind: 'echo-key', where: 'message' },
      { kind: 'echo-key', where: 'code' },
      { kind: 'echo-key', where: 'type' },
      { kind: 'echo-key', where: 'param', status: 400 },
    );
    const message = await post('/responses');
    expect(message).toMatchObject({ status: 401, headers: { 'content-type': 'application/json' }, ended: true });
    expect(errorOf(message.body)).toMatchObject({
      message: `Incorrect API key provided: ${KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      code: 'invalid_api_key',
    });
    expect(errorOf((await post('/responses')).body)).toMatchObject({ code: KEY, type: 'invalid_request_error' });
    expect(errorOf((await post('/responses')).body)).toMatchObject({ type: KEY, code: 'invalid_api_key' });
    const param = await post('/chat/completions', CHAT_STREAM);
    expect(param.status).toBe(400);
    expect(errorOf(param.body)).toMatchObject({ param: KEY });
  });

  it('header: openai-organization and x-request-id are the key; the body is the usual 401', async () => {
    sim.enqueue({ kind: 'echo-key', where: 'header' });
    const { status, headers, body } = await post('/responses');
    expect(status).toBe(401);
    expect(headers).toMatchObject({ 'openai-organization': KEY, 'x-request-id': KEY });
    expect(errorOf(body)).toMatchObject({ code: 'invalid_api_key' });
    expect(body.toString()).not.toContain(KEY);
  });

  it('html: a text/html error page containing the key', async () => {
    sim.enqueue({ kind: 'echo-key', where: 'html' });
    const { status, headers, body } = await post('/responses');
    expect(status).toBe(401);
    expect(headers['content-type']).toMatch(/^text\/html/);
    expect(body.toString()).toMatch(/^<html>.*401 Unauthorized/);
    expect(body.toString()).toContain(`Invalid API key: ${KEY}`);
  });

  it('stream-event: a 200 Responses stream whose error event and response.failed carry the key; a chat error chunk', async () => {
    sim.enqueue({ kind: 'echo-key', where: 'stream-event' }, { kind: 'echo-key', where: 'stream-event' });
    const responses = await post('/responses');
    expect(responses).toMatchObject({ status: 200, ended: true, headers: { 'content-type': expect.stringMatching(/^text\/event-stream/) } });
    const events = sseData(responses.body.toString()) as { type: string; message?: string; response?: { status: string; error: { message: string } } }[];
    expect(events.map((e) => e.type)).toEqual(['response.created', 'response.in_progress', 'error', 'response.failed']);
    expect(events[2]).toMatchObject({ code: 'invalid_api_key', message: expect.stringContaining(KEY) });
    expect(events[3]?.response).toMatchObject({ status: 'failed', error: { code: 'invalid_api_key', message: expect.stringContaining(KEY) } });

    const chat = await post('/chat/completions', CHAT_STREAM);
    expect(chat.status).toBe(200);
    const chunks = sseData(chat.body.toString());
    expect(chunks[0]).toMatchObject({ object: 'chat.completion.chunk', choices: [{ delta: { role: 'assistant' } }] });
    expect(chunks[1]).toMatchObject({ error: { code: 'invalid_api_key', message: expect.stringContaining(KEY) } });
  });

  it('url-encoded, basic, prefix: the key transformed, not verbatim', async () => {
    sim.enqueue({ kind: 'echo-key', where: 'url-encoded' }, { kind: 'echo-key', where: 'basic' }, { kind: 'echo-key', where: 'prefix' });
    const encoded = errorOf((await post('/responses')).body).message as string;
    expect(encoded).toContain(encodeURIComponent(KEY));
    expect(encoded).not.toContain(KEY);
    const basic = errorOf((await post('/responses')).body).message as string;
    expect(basic).toContain(Buffer.from(`user:${KEY}`).toString('base64'));
    expect(basic).not.toContain(KEY);
    const prefix = errorOf((await post('/responses')).body).message as string;
    expect(prefix).toBe(`Incorrect API key provided: ${KEY.slice(0, 10)}...`);
  });

  it('value: echoes a fixed string; no Authorization: echoes an empty key; a status overrides the default', async () => {
    sim.enqueue({ kind: 'echo-key', where: 'message', value: 'sk-fixed-value' }, { kind: 'echo-key', where: 'code', status: 403 });
    expect(errorOf((await post('/responses')).body).message).toContain('sk-fixed-value');
    const anonymous = await rawRequest(`${sim.baseUrl}/responses`, { body: STREAM });
    expect(anonymous.status).toBe(403);
    expect(errorOf(anonymous.body).code).toBe('');
  });

  it('rejects a bad place, and a header value that Node could not send', () => {
    expect(() => sim.enqueue({ kind: 'echo-key', where: 'footer' } as unknown as Fault)).toThrow(/where/);
    expect(() => sim.enqueue({ kind: 'echo-key', where: 'header', value: 'a\r\nb' })).toThrow(/header value/);
  });
});

describe('huge', () => {
  it('json-message: an error whose message is `bytes` long, with an exact Content-Length', async () => {
    const bytes = 8 * 1024 * 1024 + 3;
    sim.enqueue({ kind: 'huge', status: 500, bytes, shape: 'json-message' });
    const { status, headers, body, received, ended } = await post('/responses');
    expect({ status, ended, received }).toEqual({ status: 500, ended: true, received: Number(headers['content-length']) });
    const error = errorOf(body);
    expect(error).toMatchObject({ type: 'server_error', code: null });
    expect((error.message as string).length).toBe(bytes);
  });

  it('json-message with a 2xx: a chat.completion (or Responses object) whose text is `bytes` long', async () => {
    sim.enqueue({ kind: 'huge', status: 200, bytes: 100_000, shape: 'json-message' }, { kind: 'huge', status: 200, bytes: 70_000, shape: 'json-message' });
    const chat = JSON.parse((await post('/chat/completions', CHAT_STREAM)).body.toString()) as { object: string; choices: { message: { content: string } }[] };
    expect(chat.object).toBe('chat.completion');
    expect(chat.choices[0]?.message.content).toHaveLength(100_000);
    const response = JSON.parse((await post('/responses')).body.toString()) as { object: string; output: { content: { text: string }[] }[] };
    expect(response.object).toBe('response');
    expect(response.output[0]?.content[0]?.text).toHaveLength(70_000);
  });

  it('sse-event: one event whose data line is `bytes` long, without a newline unless terminated', async () => {
    const bytes = 1024 * 1024;
    sim.enqueue({ kind: 'huge', status: 200, bytes, shape: 'sse-event' }, { kind: 'huge', status: 200, bytes, shape: 'sse-event', terminated: true });
    const open = await post('/responses');
    expect(open).toMatchObject({ status: 200, ended: true, headers: { 'content-type': expect.stringMatching(/^text\/event-stream/) } });
    const [eventLine, dataLine, ...rest] = open.body.toString().split('\n');
    expect(eventLine).toBe('event: response.output_text.delta');
    expect(dataLine).toMatch(/^data: \{"type":"response.output_text.delta"/);
    expect(dataLine).toHaveLength(bytes);
    expect(rest).toEqual([]); // no newline after the data line

    const closed = (await post('/responses')).body.toString();
    expect(closed.endsWith('\n\n')).toBe(true);
    const event = sseData(closed)[0] as { delta: string };
    expect(closed.split('\n')[1]).toHaveLength(bytes);
    expect(event.delta.length).toBeGreaterThan(bytes - 200);
  });

  it('sse-event on /chat/completions: a chunk whose data line is `bytes` long', async () => {
    sim.enqueue({ kind: 'huge', status: 200, bytes: 300_000, shape: 'sse-event', terminated: true });
    const text = (await post('/chat/completions', CHAT_STREAM)).body.toString();
    expect(text.split('\n')[0]).toHaveLength(300_000);
    expect(sseData(text)[0]).toMatchObject({ object: 'chat.completion.chunk', choices: [{ delta: { content: expect.any(String) } }] });
  });

  it('raw: application/octet-stream of exactly `bytes`, neither JSON nor SSE', async () => {
    const bytes = 64 * 1024 * 1024 + 1;
    sim.enqueue({ kind: 'huge', status: 502, bytes, shape: 'raw' });
    const { status, headers, body, received, ended } = await post('/responses', STREAM, { keep: 4 });
    expect({ status, received, ended, type: headers['content-type'], length: headers['content-length'] }).toEqual({
      status: 502,
      received: bytes,
      ended: true,
      type: 'application/octet-stream',
      length: String(bytes),
    });
    expect([...body]).toEqual([0, 1, 2, 3]);
  });

  it('waits for the client: a 64 GiB body to a client that stopped reading neither fills memory nor blocks the event loop', async () => {
    sim.enqueue({ kind: 'huge', status: 200, bytes: 64 * 1024 ** 3, shape: 'raw' });
    const before = process.memoryUsage();
    let lagMs = 0;
    const outcome = await post('/responses', STREAM, {
      keep: 0,
      stopAfterMs: 500,
      onResponse: (res) => {
        res.once('data', () => res.pause()); // read one chunk, then stop reading
        // The event loop must keep turning while the server has 64 GiB to send.
        const started = Date.now();
        let last = started;
        const probe = setInterval(() => {
          lagMs = Math.max(lagMs, Date.now() - last - 20);
          last = Date.now();
          if (last - started > 400) clearInterval(probe);
        }, 20);
      },
    });
    const after = process.memoryUsage();
    expect(outcome).toMatchObject({ status: 200, ended: false });
    expect(outcome.received).toBeLessThan(16 * 1024 * 1024); // socket buffers, not the body
    expect(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers).toBeLessThan(64 * 1024 * 1024);
    expect(lagMs).toBeLessThan(200);
    expect((await rawRequest(`${sim.baseUrl}/models`)).status).toBe(200); // and it is still serving
  });
});

describe('trickle', () => {
  it('json: the normal JSON one byte at a time, then spaces forever; timers stop when the client goes away', async () => {
    const running = intervals();
    sim.enqueue({ kind: 'trickle', bytesPerSecond: 100, shape: 'json' });
    const { status, headers, body, ended } = await post('/responses', STREAM, { stopAfterMs: 400 });
    expect({ status, ended, type: headers['content-type'], length: headers['content-length'] }).toEqual({
      status: 200,
      ended: false,
      type: 'application/json',
      length: undefined,
    });
    expect(body.length).toBeGreaterThanOrEqual(10);
    expect(body.length).toBeLessThanOrEqual(45);
    expect(body.toString()).toMatch(/^\{"id":"resp_/);
    await expect.poll(running).toBe(0);
  });

  it('json with status >= 400: the error body, then whitespace, never ending', async () => {
    sim.enqueue({ kind: 'trickle', status: 503, bytesPerSecond: 1000, shape: 'json' });
    const { status, body, ended } = await post('/responses', STREAM, { stopAfterMs: 600 });
    expect({ status, ended }).toEqual({ status: 503, ended: false });
    // The whole error arrived (with trailing spaces: still valid JSON), but the body never ends.
    expect(errorOf(body)).toMatchObject({ message: 'The server is overloaded or not ready yet.' });
    expect(body.toString()).toMatch(/\} +$/);
  });

  it('sse: events one byte at a time that never complete (chat chunks after the role chunk)', async () => {
    sim.enqueue({ kind: 'trickle', bytesPerSecond: 1000, shape: 'sse' }, { kind: 'trickle', bytesPerSecond: 1000, shape: 'sse' });
    const chat = await post('/chat/completions', CHAT_STREAM, { stopAfterMs: 700 });
    expect(chat).toMatchObject({ status: 200, ended: false, headers: { 'content-type': expect.stringMatching(/^text\/event-stream/) } });
    const chunks = sseData(chat.body.toString()).filter((c) => typeof c === 'object');
    expect(chunks[0]).toMatchObject({ choices: [{ delta: { role: 'assistant' } }] });
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(chunks[1]).toMatchObject({ choices: [{ delta: { content: expect.any(String) }, finish_reason: null }] });
    const responses = await post('/responses', STREAM, { stopAfterMs: 300 });
    expect(responses.body.toString()).toMatch(/^event: response\.created\ndata: \{"type":"response\.created"/);
  });

  it('raw: octet-stream bytes at the given rate, until the client goes away', async () => {
    const running = intervals();
    sim.enqueue({ kind: 'trickle', status: 200, bytesPerSecond: 50, shape: 'raw' });
    const { status, headers, body } = await post('/responses', STREAM, { stopAfterMs: 500 });
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('application/octet-stream');
    expect(body.length).toBeGreaterThanOrEqual(8);
    expect(body.length).toBeLessThanOrEqual(27);
    expect([...body]).toEqual([...body].map((_, i) => i));
    await expect.poll(running).toBe(0);
  });

  it('close() ends a trickle and its timer', async () => {
    const running = intervals();
    sim.enqueue({ kind: 'trickle', shape: 'raw' });
    const pending = post('/responses');
    await expect.poll(running).toBe(1);
    await sim.close();
    expect((await pending).ended).toBe(false);
    await expect.poll(running).toBe(0);
  });
});

describe('redirect', () => {
  it('answers 301, 302, 307 and 308 with the Location, and does not follow it', async () => {
    const statuses = [301, 302, 307, 308] as const;
    sim.enqueue(...statuses.map((status) => ({ kind: 'redirect' as const, status, location: `http://127.0.0.1:9/steal?from=${status}` })));
    for (const status of statuses) {
      const outcome = await post('/responses');
      expect(outcome).toMatchObject({ status, ended: true, headers: { location: `http://127.0.0.1:9/steal?from=${status}` } });
    }
    expect(sim.requests).toHaveLength(4);
    expect(() => sim.enqueue({ kind: 'redirect', status: 303, location: '/x' } as unknown as Fault)).toThrow(/301, 302, 307, 308/);
    expect(() => sim.enqueue({ kind: 'redirect', status: 302, location: '' })).toThrow(/location/);
  });
});

describe('control API and stats', () => {
  it('queues every hostile kind by JSON, applies them in order, and counts them per kind', async () => {
    const faults = [
      { kind: 'echo-key', where: 'message' },
      { kind: 'gzip-bomb', expandedBytes: 1024 },
      { kind: 'huge', status: 200, bytes: 10, shape: 'raw' },
      { kind: 'trickle', bytesPerSecond: 1000, shape: 'raw' },
      { kind: 'redirect', status: 307, location: 'https://example.invalid/v1/responses' },
    ];
    const queued = await rawRequest(`${sim.url}/__sim/faults`, { body: faults });
    expect(JSON.parse(queued.body.toString())).toEqual({ ok: true, added: 5 });
    expect((await post('/responses')).status).toBe(401);
    expect((await post('/responses')).headers['content-encoding']).toBe('gzip');
    expect((await post('/responses')).received).toBe(10);
    expect((await post('/responses', STREAM, { stopAfterMs: 50 })).ended).toBe(false);
    expect((await post('/responses')).status).toBe(307);
    expect(sim.requests.map((r) => r.faultApplied)).toEqual(['echo-key', 'gzip-bomb', 'huge', 'trickle', 'redirect']);
    const stats = JSON.parse((await rawRequest(`${sim.url}/__sim/stats`)).body.toString()) as { faultsApplied: Record<string, number> };
    expect(stats.faultsApplied).toEqual({
      status: 0,
      reset: 0,
      hang: 0,
      empty: 0,
      cut: 0,
      stall: 0,
      delay: 0,
      'echo-key': 1,
      'gzip-bomb': 1,
      huge: 1,
      trickle: 1,
      redirect: 1,
    });
    sim.reset();
    expect(Object.values(sim.stats().faultsApplied).every((n) => n === 0)).toBe(true);
  });

  it('answers a bad hostile fault with a 400 naming the field, and queues nothing', async () => {
    for (const fault of [
      { kind: 'huge', bytes: 10, shape: 'xml' },
      { kind: 'trickle', shape: 'raw', bytesPerSecond: 0 },
      { kind: 'gzip-bomb', expandedBytes: -1 },
      { kind: 'redirect', status: 301 },
    ]) {
      const answer = await rawRequest(`${sim.url}/__sim/faults`, { body: [{ kind: 'echo-key', where: 'code' }, fault] });
      expect(answer.status).toBe(400);
      expect(errorOf(answer.body).message).toMatch(new RegExp(`^${fault.kind}\\.`));
    }
    expect((await post('/responses')).status).toBe(200);
  });
});

describe('describeHostileFault', () => {
  it('says what each kind does in a few words, without the echoed value', () => {
    expect(describeHostileFault({ kind: 'echo-key', where: 'stream-event', value: 'sk-secret' })).toBe('echo-key in stream-event (200)');
    expect(describeHostileFault({ kind: 'gzip-bomb', expandedBytes: 1024 })).toBe('gzip-bomb expanding to 1024 bytes (200)');
    expect(describeHostileFault({ kind: 'huge', status: 500, bytes: 10, shape: 'raw' })).toBe('huge raw of 10 bytes (500)');
    expect(describeHostileFault({ kind: 'trickle', shape: 'sse' })).toBe('trickle sse at 1 byte(s)/s (200)');
    expect(describeHostileFault({ kind: 'redirect', status: 308, location: '/x' })).toBe('redirect 308 to /x');
  });
});
