/**
 * Each upstream failure mode of the simulator, through the real Worker: what is absorbed
 * (retried inside the budget) and what each client is told when it cannot be.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { STALE_IN_A_ROW } from '../../src/upstream/failure-counts';
import { CODEX_HEADERS, callGateway, captureLogs, errorOf, post, sim, sseEvents } from './support';

beforeEach(() => sim.reset());

const turn = (headers: Record<string, string> = {}) => post('/v1/responses', { model: 'gpt-test', input: 'hi' }, headers);
const SDK_HEADERS = { 'user-agent': 'OpenAI/JS 6.30.1', 'x-stainless-lang': 'js' };

describe('absorbed: the client sees a normal answer', () => {
  it.each<[string, Parameters<typeof sim.faults>, number]>([
    ['a reset before the status line', [{ kind: 'reset' }], 2],
    [
      'a burst of 503s',
      [
        { kind: 'status', status: 503 },
        { kind: 'status', status: 502 },
        { kind: 'status', status: 500 },
      ],
      4,
    ],
    ['an empty 200', [{ kind: 'empty' }], 2],
    [
      "a load balancer's HTML 400",
      [{ kind: 'status', status: 400, body: '<html><body><h1>400 Bad Request</h1></body></html>', headers: { 'content-type': 'text/html' } }],
      2,
    ],
    ['a 429 with a short retry-after-ms', [{ kind: 'status', status: 429, headers: { 'retry-after-ms': '50' } }], 2],
    ['a 408', [{ kind: 'status', status: 408 }], 2],
  ])('%s', async (_name, faults, attempts) => {
    await sim.faults(...faults);
    const response = await callGateway(turn());
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'completed' });
    expect(response.headers.get('x-edge-attempts')).toBe(String(attempts));
    expect(await sim.requests()).toHaveLength(attempts);
  });

  it('an upstream that never sends headers is abandoned after the headers timeout and retried', async () => {
    await sim.faults({ kind: 'hang' });
    const { result: response, lines } = await captureLogs(() => callGateway(turn(), { UPSTREAM_HEADERS_TIMEOUT_MS: '200' }));
    expect(response.status).toBe(200);
    expect(lines[0]?.['attempts']).toMatchObject([{ outcome: 'timeout' }, { outcome: 'ok', status: 200 }]);
  });

  it.each(['reset', 'bad-request'] as const)(
    'workerd reusing a pooled connection the upstream dropped at its idle cutoff (%s) is retried on a fresh one',
    async (idleMode) => {
      await sim.options({ idleCutoffMs: 100, idleMode });
      const first = await callGateway(turn());
      expect(first.status).toBe(200);
      await first.text();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const { result: second, lines } = await captureLogs(() => callGateway(turn()));
      expect(second.status).toBe(200);
      expect(await second.json()).toMatchObject({ status: 'completed' });
      // The dead socket was reused (FIELD-NOTES §3) and the gateway retried: the client never knew.
      const attempts = lines[0]?.['attempts'] as { outcome: string }[];
      expect(attempts.map((attempt) => attempt.outcome)).toEqual(['stale', 'ok']);
    },
  );
});

describe('not absorbed: one clear error, and the right next step for each client', () => {
  it('a persistent 500: three failures open the breaker, one probe after it, then 503 with the wait', async () => {
    await sim.faults(...Array.from({ length: 10 }, () => ({ kind: 'status' as const, status: 500 })));
    const { result: response, lines } = await captureLogs(() => callGateway(turn(SDK_HEADERS)));
    expect(response.status).toBe(503);
    expect(response.headers.get('x-edge-attempts')).toBe('4');
    expect(response.headers.get('x-should-retry')).toBe('true');
    expect(response.headers.get('retry-after-ms')).toBe('1000'); // the breaker's 400 ms, never under 1 s
    const error = await errorOf(response);
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toMatch(/^codex-edge: upstream 127\.0\.0\.1:\d+ is failing \(it answered 500, again and again\)/);
    expect(await sim.requests()).toHaveLength(4);
    expect(lines.find((line) => line['msg'] === 'request')).toMatchObject({ status: 503, breaker: 'open', error_code: 'upstream_unavailable' });
  });

  it('Codex on a stream is told to wait the way it honours once: response.failed, rate_limit_exceeded, "try again in"', async () => {
    await sim.faults(...Array.from({ length: 10 }, () => ({ kind: 'status' as const, status: 503 })));
    const response = await callGateway(post('/v1/responses', { model: 'gpt-test', input: 'hi', stream: true }, CODEX_HEADERS));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = await sseEvents(response);
    expect(events).toMatchObject([{ type: 'response.failed', response: { status: 'failed', error: { code: 'rate_limit_exceeded' } } }]);
    expect(JSON.stringify(events[0])).toMatch(/try again in 1s: .*is failing \(it answered 503, again and again\)/);
  });

  it('a hanging upstream ends in 504 once the attempts are used', async () => {
    await sim.faults({ kind: 'hang' }, { kind: 'hang' });
    const response = await callGateway(turn(), { UPSTREAM_HEADERS_TIMEOUT_MS: '150', RETRY_MAX_ATTEMPTS: '2' });
    expect(response.status).toBe(504);
    expect((await errorOf(response)).code).toBe('upstream_timeout');
    expect(response.headers.get('retry-after')).not.toBeNull();
  });

  it('a 429 asking for longer than the gateway waits goes to the client with its Retry-After', async () => {
    await sim.faults({ kind: 'status', status: 429, headers: { 'retry-after': '120' } });
    const response = await callGateway(turn(CODEX_HEADERS));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('120');
    expect(response.headers.get('x-should-retry')).toBe('true');
    expect(await sim.requests()).toHaveLength(1);
  });

  it('a 429 without any hint still carries a Retry-After (Codex fails at once without one)', async () => {
    await sim.faults(
      ...Array.from({ length: 5 }, () => ({
        kind: 'status' as const,
        status: 429,
        body: { error: { message: 'busy', type: 'requests', code: 'rate_limit_exceeded' } },
      })),
    );
    const response = await callGateway(turn(CODEX_HEADERS));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
  });

  it('a wait that does not fit the budget is not attempted', async () => {
    await sim.faults({ kind: 'status', status: 503, headers: { 'retry-after': '2' } });
    const response = await callGateway(turn(), { RETRY_BUDGET_MS: '1000' });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await sim.requests()).toHaveLength(1);
  });

  it.each<[string, Record<string, string>, number]>([
    ['Codex gets 400, which it does not retry', CODEX_HEADERS, 400],
    ['the SDK gets the real 401', SDK_HEADERS, 401],
  ])('an upstream 401: %s', async (_name, headers, status) => {
    await sim.faults({ kind: 'status', status: 401 });
    const response = await callGateway(turn(headers));
    expect(response.status).toBe(status);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect(response.headers.get('retry-after')).toBeNull();
    const error = await errorOf(response);
    expect(error.message).toMatch(/answered 401 \(1 attempt\): Incorrect API key provided/);
    expect(error.code).toBe('invalid_api_key');
    expect(await sim.requests()).toHaveLength(1);
  });

  it.each([403, 404, 409, 413, 422])("an upstream %i is final: one upstream request (the 404: the provider's model_not_found)", async (status) => {
    await sim.faults({ kind: 'status', status });
    const response = await callGateway(turn(CODEX_HEADERS));
    expect(response.status).toBe(status === 404 ? 404 : 400);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect((await errorOf(response)).message).toContain(`answered ${status}`);
    expect(await sim.requests()).toHaveLength(1);
  });

  it.each<[string, Record<string, string>, number]>([
    ['Codex gets 400, since it retries every 404 but model_not_found', CODEX_HEADERS, 400],
    ['the SDK gets the real 404', SDK_HEADERS, 404],
  ])('an upstream without /responses (404 unknown_url): %s', async (_name, headers, status) => {
    const message = 'Unknown request URL: POST /v1/responses. Please check the URL for typos.';
    await sim.faults({ kind: 'status', status: 404, body: { error: { message, type: 'invalid_request_error', param: null, code: 'unknown_url' } } });
    const response = await callGateway(turn(headers));
    expect(response.status).toBe(status);
    expect(response.headers.get('x-should-retry')).toBe('false');
    const error = await errorOf(response);
    expect(error.message).toMatch(/^upstream 127\.0\.0\.1:\d+ answered 404 \(1 attempt\): Unknown request URL: POST \/v1\/responses/);
    expect(error.code).toBe('unknown_url');
    expect(await sim.requests()).toHaveLength(1);
  });

  it('an HTML 404 that comes back past the stale connections it may be is final (a wrong base path must not make Codex loop)', async () => {
    const page = { kind: 'status' as const, status: 404, body: '<html><body>404 page not found</body></html>', headers: { 'content-type': 'text/html' } };
    await sim.faults(...Array.from({ length: STALE_IN_A_ROW + 1 }, () => page));
    const response = await callGateway(turn(CODEX_HEADERS));
    expect(response.status).toBe(400);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect((await errorOf(response)).message).toMatch(new RegExp(`answered 404 \\(1 attempt, ${STALE_IN_A_ROW} reconnects\\): no JSON error in the body`));
    expect(await sim.requests()).toHaveLength(STALE_IN_A_ROW + 1);
  });

  it('quota exhaustion stays final', async () => {
    await sim.faults({
      kind: 'status',
      status: 429,
      body: { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } },
    });
    const response = await callGateway(turn(SDK_HEADERS));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect(await sim.requests()).toHaveLength(1);
  });

  it('an upstream that cannot be reached → 502 naming the host', async () => {
    const response = await callGateway(turn(), { UPSTREAM_BASE_URL: 'http://127.0.0.1:9/v1', RETRY_MAX_ATTEMPTS: '2' });
    expect(response.status).toBe(502);
    const error = await errorOf(response);
    expect(error.code).toBe('upstream_unreachable');
    expect(error.message).toContain('127.0.0.1:9');
  });
});
