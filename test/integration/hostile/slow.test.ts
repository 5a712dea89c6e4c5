/**
 * Hostile upstream timing through the real Worker: bytes trickled without end, and retry hints
 * of zero. What must hold: a body the gateway reads whole is bounded by one deadline
 * (UPSTREAM_HEADERS_TIMEOUT_MS), however slowly it keeps coming; a relayed body ends after the
 * idle cap of silence; a stream that keeps delivering whole events is live and is relayed as
 * such, for as long as the client reads it (each byte of an event still arriving feeds the idle
 * timer, by design; what it may hold is bounded by MAX_SSE_EVENT_BYTES, bodies.test.ts); a
 * zero wait from the upstream never turns retries into a burst, nor tells the client to retry
 * at once.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { CODEX_HEADERS, sim } from '../support';
import { SDK_HEADERS, dataOf, errorIn, expectSafeLog, hostileCall, requestLine, sleep, turn, typeOf } from './support';

beforeEach(() => sim.reset());

const HEADERS_TIMEOUT_MS = 300;
const IDLE_MS = 600;
/** Timers fire a little late and the simulator answers from another process: the slack allowed past a deadline. */
const SLACK_MS = 1_000;

describe('a body trickled a byte at a time', () => {
  it.each([
    ['a 200 JSON answer', 200],
    ['a 500 error body', 500],
  ] as const)('%s: 504 upstream_timeout once UPSTREAM_HEADERS_TIMEOUT_MS is over, not when the body ends', async (_name, status) => {
    await sim.faults({ kind: 'trickle', shape: 'json', status, bytesPerSecond: 50 });
    const env = { UPSTREAM_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS), RETRY_MAX_ATTEMPTS: '1' };
    const { response, read: body, ms, lines } = await hostileCall(turn(SDK_HEADERS), env, (answer) => answer.text());
    expect(response.status).toBe(504);
    expect(response.headers.get('x-should-retry')).toBe('true');
    const error = errorIn(body);
    expect(error.code).toBe('upstream_timeout');
    expect(error.message).toMatch(new RegExp(`did not deliver its answer within ${HEADERS_TIMEOUT_MS} ms \\(1 attempt; UPSTREAM_HEADERS_TIMEOUT_MS\\)`));
    expect(ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 10);
    expect(ms).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
    expect(requestLine(lines)['attempts']).toMatchObject([{ outcome: 'timeout' }]);
    expectSafeLog(lines);
  });

  it('a raw body (octet-stream) slower than the idle cap: the client gets 200, then its body errors once the cap is over', async () => {
    await sim.faults({ kind: 'trickle', shape: 'raw', bytesPerSecond: 1 });
    const {
      response,
      read: failure,
      ms,
      lines,
    } = await hostileCall(turn(SDK_HEADERS), { STREAM_IDLE_TIMEOUT_MS: String(IDLE_MS) }, async (answer) => {
      try {
        await answer.arrayBuffer();
        return null;
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(failure).toMatch(new RegExp(`the upstream sent nothing for ${IDLE_MS} ms`));
    expect(ms).toBeGreaterThanOrEqual(IDLE_MS - 10);
    expect(ms).toBeLessThan(IDLE_MS + SLACK_MS);
    expectSafeLog(lines);
  });

  it(
    'an SSE stream whose events keep coming, slowly, is live: each event reaches Codex as it completes, heartbeats fill the gaps, and it ' +
      'ends when Codex stops reading',
    async () => {
      await sim.faults({ kind: 'trickle', shape: 'sse', bytesPerSecond: 1000 });
      // A byte a millisecond: each event takes 150–700 ms to arrive whole, and no gap reaches the idle cap.
      const env = { STREAM_IDLE_TIMEOUT_MS: String(IDLE_MS), HEARTBEAT_INTERVAL_MS: '100' };
      const {
        response,
        read: seen,
        lines,
      } = await hostileCall(turn(CODEX_HEADERS, { stream: true }), env, async (answer) => {
        const reader = answer.body?.getReader() as ReadableStreamDefaultReader<Uint8Array> | undefined;
        if (reader === undefined) throw new Error('no body');
        const decoder = new TextDecoder();
        let text = '';
        const started = Date.now();
        // Read for 3 s (more than four idle caps), then go away, as a client that has seen enough.
        while (Date.now() - started < 3_000) {
          const { value, done } = await reader.read();
          if (done) break;
          text += decoder.decode(value, { stream: true });
        }
        await reader.cancel();
        await sleep(200); // the line is written once the gateway has seen the client go
        return text;
      });
      expect(response.status).toBe(200);
      const types = dataOf(seen).map(typeOf);
      expect(types.filter((type) => type !== 'codex_edge.heartbeat').slice(0, 2)).toEqual(['response.created', 'response.in_progress']);
      expect(types.filter((type) => type === 'response.output_text.delta').length).toBeGreaterThanOrEqual(3);
      expect(types).toContain('codex_edge.heartbeat');
      expect(types).not.toContain('response.failed');
      // The line is written once the stream is over: the client went away (the upstream read is cancelled then).
      expect(requestLine(lines)).toMatchObject({ status: 200, stream_end: 'client-gone' });
      expectSafeLog(lines);
    },
  );

  it('an SSE stream with gaps longer than the idle cap between its bytes: Codex gets response.failed once the cap is over', async () => {
    // A byte every 500 ms: the first one within the headers timeout, every later gap over the idle cap.
    await sim.faults({ kind: 'trickle', shape: 'sse', bytesPerSecond: 2 });
    const idleMs = 300;
    const env = { UPSTREAM_HEADERS_TIMEOUT_MS: '1500', STREAM_IDLE_TIMEOUT_MS: String(idleMs), HEARTBEAT_INTERVAL_MS: '100' };
    const { response, read: body, ms, lines } = await hostileCall(turn(CODEX_HEADERS, { stream: true }), env, (answer) => answer.text());
    expect(response.status).toBe(200);
    const events = dataOf(body).filter((event) => typeOf(event) !== 'codex_edge.heartbeat');
    expect(events.map(typeOf)).toEqual(['response.failed']);
    expect(JSON.stringify(events[0])).toContain(`the upstream sent nothing for ${idleMs} ms`);
    expect(ms).toBeLessThan(500 + idleMs + SLACK_MS);
    expect(await sim.requests()).toHaveLength(1);
    expect(requestLine(lines)).toMatchObject({ stream_end: 'idle' });
    expectSafeLog(lines);
  });
});

describe('retry hints of zero on 503s', () => {
  const BACKOFF_BASE_MS = 200;
  // Equal jitter: the n-th retry waits at least half of min(max, base × 2^(n-1)): 100 ms, then 200 ms.
  const LEAST_WAITS_MS = 100 + 200;

  it.each([
    ['retry-after-ms: 0', { 'retry-after-ms': '0' }],
    ['retry-after: 0', { 'retry-after': '0' }],
    ['x-ratelimit-reset-requests: 0s', { 'x-ratelimit-reset-requests': '0s', 'x-ratelimit-remaining-requests': '0' }],
  ] as const)('%s: the attempts are spaced by the backoff at least, and the client is told to wait 1 s or more', async (_hint, headers) => {
    await sim.faults(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 503, headers })));
    const env = { RETRY_MAX_ATTEMPTS: '3', RETRY_BACKOFF_BASE_MS: String(BACKOFF_BASE_MS), RETRY_BACKOFF_MAX_MS: '1000', BREAKER_FAILURES: '10' };
    const { response, read: body, lines } = await hostileCall(turn(SDK_HEADERS), env, (answer) => answer.text());
    expect(await sim.requests()).toHaveLength(3);
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(response.headers.get('retry-after-ms'))).toBeGreaterThanOrEqual(1_000);
    expect(response.headers.get('x-should-retry')).toBe('true');
    expect(errorIn(body).message).toMatch(/answered 503 \(3 attempts\)/);
    const line = requestLine(lines);
    const attempts = line['attempts'] as { ms: number }[];
    const waited = Number(line['total_ms']) - attempts.reduce((sum, attempt) => sum + attempt.ms, 0);
    expect(waited).toBeGreaterThanOrEqual(LEAST_WAITS_MS - 10);
    expectSafeLog(lines);
  });

  it('Codex on a stream is told "try again in 1s" at least', async () => {
    await sim.faults(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 503, headers: { 'retry-after-ms': '0' } })));
    const env = { RETRY_MAX_ATTEMPTS: '3', BREAKER_FAILURES: '10' };
    const { response, read: body, lines } = await hostileCall(turn(CODEX_HEADERS, { stream: true }), env, (answer) => answer.text());
    expect(response.status).toBe(200);
    expect(dataOf(body)).toMatchObject([{ type: 'response.failed', response: { error: { code: 'rate_limit_exceeded' } } }]);
    expect(body).toMatch(/try again in (\d+(\.\d+)?)s/);
    expect(Number(/try again in (\d+(?:\.\d+)?)s/.exec(body)?.[1])).toBeGreaterThanOrEqual(1);
    expectSafeLog(lines);
  });
});
