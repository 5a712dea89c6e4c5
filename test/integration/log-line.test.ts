/**
 * Every request writes exactly one log line, however it ends: a stream that ends on its own
 * (terminal, broken, idle), a client that leaves after the first chunk or before reading any,
 * a client that leaves before the response; and until a streamed request's line is written,
 * the request is kept alive (waitUntil), or workerd drops it, and its line, with the client.
 * (test/e2e/client-gone.test.ts shows the same through real HTTP connections.)
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../simulator/faults';
import worker from '../../src/index';
import { CODEX_HEADERS, callGateway, captureLogs, gatewayEnv, post, sim } from './support';

beforeEach(() => sim.reset());

const streamTurn = (init: RequestInit = {}) => new Request(post('/v1/responses', { model: 'gpt-test', stream: true, input: 'hi' }, CODEX_HEADERS), init);

/** Reads a body until its first chunk, then goes away. */
async function leaveAfterFirstChunk(response: Response): Promise<void> {
  const reader = response.body?.getReader();
  await reader?.read();
  await reader?.cancel();
}

describe('one log line per request', () => {
  it('20 streams whose clients leave after the first chunk → 20 lines, each client-gone or terminal', async () => {
    const { lines } = await captureLogs(async () => {
      await Promise.all(Array.from({ length: 20 }, async () => leaveAfterFirstChunk(await callGateway(streamTurn()))));
    }, 20);
    expect(lines).toHaveLength(20);
    expect(new Set(lines.map((line) => line['request_id'])).size).toBe(20);
    for (const line of lines) expect(['client-gone', 'terminal']).toContain(line['stream_end']);
  });

  it.each<{ ending: string; fault: Fault | null; end: string }>([
    { ending: 'the terminal event', fault: null, end: 'terminal' },
    { ending: 'an upstream that breaks mid-stream', fault: { kind: 'cut', afterEvents: 3 }, end: 'upstream-broke' },
    { ending: 'an upstream that goes silent', fault: { kind: 'stall', afterEvents: 3 }, end: 'idle' },
  ])('a stream read to its end by $ending → one line, stream_end $end', async ({ fault, end }) => {
    if (fault !== null) await sim.faults(fault);
    const { lines } = await captureLogs(async () => (await callGateway(streamTurn())).text(), 1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ status: 200, stream: true, stream_end: end });
  });

  it('a client that leaves before reading any byte → one line, client-gone', async () => {
    await sim.faults({ kind: 'stall', afterEvents: 3 });
    const { lines } = await captureLogs(async () => {
      await (await callGateway(streamTurn())).body?.cancel();
    }, 1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ status: 200, stream_end: 'client-gone' });
  });

  it('a client that leaves before the response → one line, 499', async () => {
    await sim.faults({ kind: 'delay', ms: 300 });
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 50);
    const { result: response, lines } = await captureLogs(async () => callGateway(streamTurn({ signal: controller.signal })), 1);
    expect(response.status).toBe(499);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ status: 499, error: 'the client went away before the upstream answered' });
  });

  it('keeps a streamed request alive (waitUntil) until its line is written, then lets it go', async () => {
    await sim.faults({ kind: 'stall', afterEvents: 3 });
    const { lines } = await captureLogs(async () => {
      const ctx = createExecutionContext();
      const response = await worker.fetch(streamTurn(), gatewayEnv(), ctx);
      let settled = false;
      const background = waitOnExecutionContext(ctx).then(() => {
        settled = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(settled).toBe(false); // the stream is still open: its line is owed
      await leaveAfterFirstChunk(response);
      await background;
    });
    // Written by the time the request's background work settled, not after.
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ stream_end: 'client-gone' });
  });

  it.each(['"level":"warn', '"status":401,"x":"'])('a client presenting %s as its key gets a line that is valid JSON, its fields intact', async (key) => {
    const request = post('/v1/responses', { model: 'gpt-test', input: 'hi' }, { ...CODEX_HEADERS, authorization: `Bearer ${key}` });
    // captureLogs parses every line: a line broken by its redaction fails here.
    const { lines } = await captureLogs(async () => (await callGateway(request)).text(), 1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'request', status: 200, model: 'gpt-test' });
  });
});
