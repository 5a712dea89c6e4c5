/**
 * The trickle fault (simulator/hostile-trickle.ts): a byte at a time in each shape, never ending,
 * and its timer stopped when the client goes away or the simulator closes.
 */
import { describe, expect, it, vi } from 'vitest';
import { CHAT_STREAM, errorOf, freshSimulatorPerTest, post, sim, STREAM } from './hostile-support';
import { sseData } from './raw-client';

freshSimulatorPerTest();

/** Counts the intervals started from now on and not yet cleared (a trickle runs on one). */
function intervals(): () => number {
  const started = vi.spyOn(globalThis, 'setInterval');
  const cleared = vi.spyOn(globalThis, 'clearInterval');
  return () => started.mock.results.filter((result) => !cleared.mock.calls.some(([timer]) => timer === result.value)).length;
}

describe('trickle', () => {
  it('json: the normal JSON one byte at a time, then spaces forever; timers stop when the client goes away', async () => {
    const running = intervals();
    sim.enqueue({ kind: 'trickle', bytesPerSecond: 100, shape: 'json' });
    const started = performance.now();
    const { status, headers, body, ended } = await post('/responses', STREAM, { stopAfterMs: 400 });
    const elapsedMs = performance.now() - started;
    expect({ status, ended, type: headers['content-type'], length: headers['content-length'] }).toEqual({
      status: 200,
      ended: false,
      type: 'application/json',
      length: undefined,
    });
    // A byte at a time at the rate, however late a loaded machine fires the timers: no more than the time allowed.
    expect(body.length).toBeGreaterThanOrEqual(2);
    expect(body.length).toBeLessThanOrEqual(Math.ceil((elapsedMs * 100) / 1000) + 1);
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
    const started = performance.now();
    const { status, headers, body } = await post('/responses', STREAM, { stopAfterMs: 500 });
    const elapsedMs = performance.now() - started;
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('application/octet-stream');
    expect(body.length).toBeGreaterThanOrEqual(2);
    expect(body.length).toBeLessThanOrEqual(Math.ceil((elapsedMs * 50) / 1000) + 1);
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
