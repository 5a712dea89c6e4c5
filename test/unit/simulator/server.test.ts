/**
 * The simulator's normal answers (read by the real `openai` SDK), every fault kind,
 * and the control API. Each test gets its own simulator and fresh connections.
 */
import OpenAI from 'openai';
import { Agent, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Fault, type Simulator } from '../../../simulator/server';

let sim: Simulator;
let agent: Agent;
beforeEach(async () => {
  sim = await startSimulator();
  agent = new Agent();
});
afterEach(async () => {
  await sim.close(); // destroys hung and stalled sockets too
  await agent.close();
});

interface Outcome {
  status: number | null;
  headers: Record<string, unknown>;
  body: string;
  /** How the exchange failed: a transport error code, 'TimeoutError' for our own abort, or null. */
  error: string | null;
}

/** POSTs and reads whatever arrives, recording how it ended (a transport error code, or none). */
async function post(path: string, body: unknown, abortAfterMs?: number): Promise<Outcome> {
  const outcome: Outcome = { status: null, headers: {}, body: '', error: null };
  try {
    const res = await request(`${sim.baseUrl}${path}`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      ...(abortAfterMs === undefined ? {} : { signal: AbortSignal.timeout(abortAfterMs) }),
    });
    outcome.status = res.statusCode;
    outcome.headers = res.headers;
    for await (const chunk of res.body) outcome.body += String(chunk);
  } catch (error) {
    const { code, name } = error as { code?: unknown; name?: string };
    outcome.error = typeof code === 'string' ? code : (name ?? 'unknown');
  }
  return outcome;
}

const eventTypes = (sse: string): string[] => [...sse.matchAll(/^event: (.+)$/gm)].map((m) => m[1] ?? '');
const STREAM = { model: 'gpt-test', input: 'hi', stream: true };

describe('normal answers', () => {
  it('answers Responses, streamed and not, to the openai SDK', async () => {
    const client = new OpenAI({ baseURL: sim.baseUrl, apiKey: 'sk-test', maxRetries: 0 });
    const stream = client.responses.stream({ model: 'gpt-echo', input: 'hi' });
    const sequence: number[] = [];
    for await (const event of stream) sequence.push(event.sequence_number);
    const final = await stream.finalResponse(); // (this SDK version fills output_text only for parse requests)
    expect(final).toMatchObject({ model: 'gpt-echo', status: 'completed', usage: { total_tokens: expect.any(Number) } });
    expect(final.output).toEqual([
      expect.objectContaining({ type: 'message', content: [expect.objectContaining({ text: 'Hello from the flaky provider simulator.' })] }),
    ]);
    expect(sequence).toEqual(sequence.map((_, i) => i));
    const json = await client.responses.create({ model: 'gpt-echo', input: 'hi' });
    expect(json.output_text).toBe('Hello from the flaky provider simulator.');
    expect(sim.requests[0]).toMatchObject({ method: 'POST', path: '/v1/responses', faultApplied: 'none' });
    expect(sim.requests[0]?.headers['authorization']).toBe('Bearer sk-test');
  });

  it('sends the Responses events in order, ending with output_item.done and completed', async () => {
    sim.setOptions({ deltaCount: 2 });
    const { status, headers, body } = await post('/responses', STREAM);
    expect(status).toBe(200);
    expect(headers['content-type']).toMatch(/^text\/event-stream/);
    expect(headers['x-request-id']).toMatch(/^req_/);
    expect(eventTypes(body)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
  });

  it("answers Codex's compaction request (input ending in compaction_trigger) with exactly one compaction item, as OpenAI does", async () => {
    const input = [{ role: 'user', content: 'hi' }, { type: 'compaction_trigger' }];
    const streamed = await post('/responses', { ...STREAM, input });
    expect(eventTypes(streamed.body)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.output_item.done',
      'response.completed',
    ]);
    const done = streamed.body.split('\n').find((line) => line.includes('"response.output_item.done"')) ?? '';
    expect(JSON.parse(done.slice('data: '.length))).toMatchObject({ item: { type: 'compaction', encrypted_content: expect.any(String) as string } });
    const json = JSON.parse((await post('/responses', { model: 'm', input })).body) as { output: { type: string }[] };
    expect(json.output.map((item) => item.type)).toEqual(['compaction']);
  });

  it('answers Chat Completions, streamed (with a usage chunk) and not, to the openai SDK', async () => {
    const client = new OpenAI({ baseURL: sim.baseUrl, apiKey: 'sk-test', maxRetries: 0 });
    const messages = [{ role: 'user' as const, content: 'hi' }];
    const chunks = await client.chat.completions.create({ model: 'm', messages, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: unknown;
    for await (const chunk of chunks) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('Hello from the flaky provider simulator.');
    expect(usage).toMatchObject({ completion_tokens: 10 });
    const completion = await client.chat.completions.create({ model: 'm', messages });
    expect(completion.choices[0]?.message.content).toBe(text);
    expect((await client.models.list()).data.map((m) => m.id)).toContain('gpt-test');
  });

  it('answers unknown paths, bad JSON and a missing model like the real API', async () => {
    expect(JSON.parse((await post('/nope', {})).body)).toMatchObject({ error: { code: 'unknown_url', type: 'invalid_request_error', param: null } });
    expect(await post('/responses', '{not json')).toMatchObject({ status: 400 });
    expect(JSON.parse((await post('/responses', {})).body)).toMatchObject({ error: { param: 'model' } });
  });
});

describe('faults', () => {
  it('status: an OpenAI-shaped default body, or the given body and headers', async () => {
    sim.enqueue({ kind: 'status', status: 429 }, { kind: 'status', status: 502, body: 'bad gateway', headers: { 'Retry-After': '1' } });
    const limited = await post('/responses', STREAM);
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.body)).toMatchObject({ error: { code: 'rate_limit_exceeded', message: expect.stringContaining('try again in 1.5s') } });
    expect(await post('/responses', STREAM)).toMatchObject({ status: 502, body: 'bad gateway', headers: { 'retry-after': '1' } });
    expect((await post('/responses', STREAM)).status).toBe(200);
  });

  it('reset: no status line at all', async () => {
    sim.enqueue({ kind: 'reset' });
    expect(await post('/responses', STREAM)).toMatchObject({ status: null, error: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/) });
    expect(sim.requests.map((r) => r.faultApplied)).toEqual(['reset']);
  });

  it('empty: a 200 with the stream headers and no body', async () => {
    sim.enqueue({ kind: 'empty' }, { kind: 'empty' });
    const stream = await post('/responses', STREAM);
    expect(stream).toMatchObject({ status: 200, body: '', error: null });
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    const json = await post('/responses', { model: 'm' });
    expect(json).toMatchObject({ status: 200, body: '', headers: { 'content-type': 'application/json', 'content-length': '0' } });
  });

  it('cut: N events, then a reset (JSON: half the body)', async () => {
    sim.enqueue({ kind: 'cut', afterEvents: 3 }, { kind: 'cut', afterEvents: 0 });
    const cut = await post('/responses', STREAM);
    expect(cut.status).toBe(200);
    expect(eventTypes(cut.body)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added']);
    expect(cut.error).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect(await post('/responses', STREAM)).toMatchObject({ status: 200, body: '', error: expect.any(String) });

    const whole = (await post('/responses', { model: 'm' })).body;
    sim.enqueue({ kind: 'cut', afterEvents: 1 });
    const half = await post('/responses', { model: 'm' });
    expect(half.body.length).toBe(whole.length >> 1);
    expect(half.error).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
  });

  it('stall and hang: silence until the client gives up; the server survives', async () => {
    sim.enqueue({ kind: 'stall', afterEvents: 2 }, { kind: 'hang' });
    const stalled = await post('/responses', STREAM, 300);
    expect(eventTypes(stalled.body)).toEqual(['response.created', 'response.in_progress']);
    expect(stalled.error).toBe('TimeoutError');
    expect(await post('/responses', STREAM, 300)).toMatchObject({ status: null, error: 'TimeoutError' });
    expect((await post('/responses', STREAM)).status).toBe(200);
  });

  it('delay: answers normally afterwards; close() ends hung requests', async () => {
    sim.enqueue({ kind: 'delay', ms: 50 }, { kind: 'hang' });
    expect((await post('/responses', STREAM)).status).toBe(200);
    const hung = post('/responses', STREAM);
    await expect.poll(() => sim.requests.length).toBe(2);
    await sim.close();
    expect((await hung).error).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
  });

  it('rejects invalid faults without queueing any', () => {
    expect(() => sim.enqueue({ kind: 'empty' }, { kind: 'cut' } as unknown as Fault)).toThrow(/afterEvents/);
    expect(() => sim.enqueue({ kind: 'status', status: 99 })).toThrow(/status/);
    expect(sim.stats().requests).toBe(0);
  });
});

describe('control API', () => {
  async function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown; connection: unknown }> {
    const res = await request(`${sim.url}/__sim/${path}`, {
      method,
      dispatcher: agent,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.statusCode, json: await res.body.json(), connection: res.headers['connection'] };
  }

  it('queues faults, lists requests and stats, changes options, resets; never recorded itself', async () => {
    expect(await control('POST', 'faults', [{ kind: 'status', status: 503 }])).toMatchObject({ status: 200, connection: 'close' });
    expect((await post('/responses', STREAM)).status).toBe(503);
    expect((await control('POST', 'options', { deltaCount: 1, deltaSize: 5 })).status).toBe(200);
    expect(eventTypes((await post('/responses', STREAM)).body).filter((t) => t.endsWith('.delta'))).toHaveLength(1);
    const listed = (await control('GET', 'requests')).json as { faultApplied: string }[];
    expect(listed.map((r) => r.faultApplied)).toEqual(['status', 'none']);
    expect((await control('GET', 'stats')).json).toMatchObject({ requests: 2, idleCutoffs: 0, staleHits: 0, faultsApplied: { status: 1, cut: 0 } });
    expect((await control('POST', 'options', { deltaCount: null, nope: 1 })).status).toBe(400);
    expect((await control('POST', 'faults', [{ kind: 'explode' }])).status).toBe(400);
    expect((await control('POST', 'reset')).status).toBe(200);
    expect((await control('GET', 'requests')).json).toEqual([]);
  });
});
