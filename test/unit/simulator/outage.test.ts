/**
 * The simulator's timed outage and flapping modes: the provider answers every /v1/* request with
 * one status while it is down and normally once it is up, set from code, the control API and the
 * CLI, and counted in stats(). Timing rules are checked with explicit clocks; the server with
 * short real periods.
 */
import { Agent, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseInvocation } from '../../../simulator/invocation';
import { DEFAULT_SETTINGS, resolveOptions } from '../../../simulator/options';
import { downAt } from '../../../simulator/outage';
import { startSimulator, type Simulator } from '../../../simulator/server';

const STREAM = { model: 'gpt-test', input: 'hi', stream: true };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('when the provider is down (pure timing)', () => {
  it('an outage lasts its duration from when it is set, then the provider is up for good', () => {
    const { outage, flapping } = resolveOptions(DEFAULT_SETTINGS, { outage: { ms: 15_000 } }, 1_000);
    expect(downAt(outage, flapping, 1_000)).toEqual({ cause: 'outage', status: 503, upInMs: 15_000 });
    expect(downAt(outage, flapping, 15_999)).toMatchObject({ upInMs: 1 });
    expect(downAt(outage, flapping, 16_000)).toBeNull();
    expect(downAt(outage, flapping, 1_000_000)).toBeNull();
  });

  it('flapping alternates down and up periods, starting down', () => {
    const { outage, flapping } = resolveOptions(DEFAULT_SETTINGS, { flapping: { downMs: 200, upMs: 300, status: 502 } }, 0);
    const states = [0, 199, 200, 499, 500, 699, 700, 1_000].map((now) => downAt(outage, flapping, now)?.status ?? 'up');
    expect(states).toEqual([502, 502, 'up', 'up', 502, 502, 'up', 502]);
    expect(downAt(outage, flapping, 550)).toMatchObject({ cause: 'flapping', upInMs: 150 });
  });

  it('an outage wins over flapping while both are set', () => {
    const { outage, flapping } = resolveOptions(DEFAULT_SETTINGS, { outage: { ms: 1_000, status: 500 }, flapping: { downMs: 100, upMs: 100 } }, 0);
    expect(downAt(outage, flapping, 150)).toMatchObject({ cause: 'outage', status: 500 });
    expect(downAt(outage, flapping, 1_050)).toMatchObject({ cause: 'flapping', status: 503 });
    expect(downAt(outage, flapping, 1_150)).toBeNull();
  });

  it('a later patch keeps the outage deadline unless it sets the outage again; null ends it', () => {
    const set = resolveOptions(DEFAULT_SETTINGS, { outage: { ms: 10_000 } }, 0);
    expect(resolveOptions(set, { deltaCount: 1 }, 5_000).outage).toEqual({ until: 10_000, status: 503 });
    expect(resolveOptions(set, { outage: { ms: 10_000 } }, 5_000).outage).toEqual({ until: 15_000, status: 503 });
    expect(resolveOptions(set, { outage: undefined }, 5_000).outage).toBeUndefined();
  });

  it('rejects bad values, naming them', () => {
    expect(() => resolveOptions(DEFAULT_SETTINGS, { outage: { ms: -1 } })).toThrow(/outage\.ms/);
    expect(() => resolveOptions(DEFAULT_SETTINGS, { outage: { ms: 10, status: 200 } })).toThrow(/outage\.status/);
    expect(() => resolveOptions(DEFAULT_SETTINGS, { flapping: { downMs: 0, upMs: 10 } })).toThrow(/flapping\.downMs/);
    expect(() => resolveOptions(DEFAULT_SETTINGS, { flapping: { downMs: 10 } as never })).toThrow(/flapping\.upMs/);
    expect(() => resolveOptions(DEFAULT_SETTINGS, { outage: { ms: 10, until: 5 } as never })).toThrow(/unknown outage key 'until'/);
  });
});

describe('the simulator while down', () => {
  let sim: Simulator;
  const agent = new Agent();
  beforeEach(async () => {
    sim = await startSimulator();
  });
  afterEach(async () => {
    await sim.close();
  });

  async function post(): Promise<{ status: number; body: string }> {
    const res = await request(`${sim.baseUrl}/responses`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(STREAM),
    });
    return { status: res.statusCode, body: await res.body.text() };
  }

  it('answers every request with an OpenAI-shaped 503 during an outage, then normally; queued faults wait', async () => {
    const set = Date.now();
    sim.setOptions({ outage: { ms: 1_000 } });
    sim.enqueue({ kind: 'status', status: 429 });
    const during = await post();
    expect(during.status).toBe(503);
    expect(JSON.parse(during.body)).toEqual({
      error: { message: 'The server is overloaded or not ready yet.', type: 'server_error', param: null, code: null },
    });
    expect((await post()).status).toBe(503);
    await sleep(set + 1_050 - Date.now());
    expect((await post()).status).toBe(429); // the queued fault, now that the provider is up
    expect((await post()).status).toBe(200);
    expect(sim.requests.map((r) => r.faultApplied)).toEqual(['outage', 'outage', 'status', 'none']);
    expect(sim.stats()).toMatchObject({ requests: 4, outageAnswers: 2, flappingAnswers: 0, faultsApplied: { status: 1 } });
  });

  it('flaps between down and up periods until told to stop', async () => {
    const set = Date.now();
    sim.setOptions({ flapping: { downMs: 400, upMs: 400, status: 502 } });
    // In the middle of the first down, the first up and the second down period.
    const first = (await post()).status;
    await sleep(set + 600 - Date.now());
    const second = (await post()).status;
    await sleep(set + 1_000 - Date.now());
    const third = (await post()).status;
    sim.setOptions({ flapping: undefined });
    const after = (await post()).status;
    expect([first, second, third, after]).toEqual([502, 200, 502, 200]);
    expect(sim.stats()).toMatchObject({ requests: 4, flappingAnswers: 2, outageAnswers: 0 });
  });

  it('logs what a request got and when the provider comes up again', async () => {
    const lines: string[] = [];
    await sim.close();
    sim = await startSimulator({ outage: { ms: 60_000 } }, { log: (line) => lines.push(line) });
    expect((await post()).status).toBe(503);
    await expect.poll(() => lines.length).toBe(2);
    expect(lines[0]).toMatch(/#\d+ POST \/v1\/responses: outage: status 503 \(up again in (59|60)\.\d s\)$/);
    expect(lines[1]).toMatch(/→ 503 \(\d+ ms\)$/);
  });

  it('is set and ended over the control API, and reset() clears the counts', async () => {
    const control = async (body: unknown): Promise<number> =>
      (await request(`${sim.url}/__sim/options`, { method: 'POST', dispatcher: agent, body: JSON.stringify(body) })).statusCode;
    expect(await control({ outage: { ms: 60_000, status: 500 } })).toBe(200);
    expect((await post()).status).toBe(500);
    const stats = (await (await request(`${sim.url}/__sim/stats`, { dispatcher: agent })).body.json()) as Record<string, unknown>;
    expect(stats).toMatchObject({ requests: 1, outageAnswers: 1 });
    expect(await control({ outage: null })).toBe(200);
    expect((await post()).status).toBe(200);
    expect(await control({ flapping: { downMs: 'a lot' } })).toBe(400);
    sim.reset();
    expect(sim.stats()).toMatchObject({ requests: 0, outageAnswers: 0 });
  });
});

describe('the simulator CLI', () => {
  it('takes an outage and flapping from flags', () => {
    expect(parseInvocation(['--outage-ms', '15000']).options).toMatchObject({ outage: { ms: 15_000 } });
    expect(parseInvocation(['--outage-ms', '15000', '--outage-status', '500']).options).toMatchObject({ outage: { ms: 15_000, status: 500 } });
    expect(parseInvocation(['--flapping-down-ms', '2000', '--flapping-up-ms', '3000']).options).toMatchObject({ flapping: { downMs: 2_000, upMs: 3_000 } });
    expect(parseInvocation([]).options).not.toHaveProperty('outage');
  });

  it('refuses half a mode', () => {
    expect(() => parseInvocation(['--flapping-down-ms', '2000'])).toThrow(/both --flapping-down-ms and --flapping-up-ms/);
    expect(() => parseInvocation(['--outage-status', '500'])).toThrow(/--outage-status needs --outage-ms/);
    expect(() => parseInvocation(['--outage-ms', 'soon'])).toThrow(/--outage-ms must be an integer/);
  });
});
