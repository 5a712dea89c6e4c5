/**
 * The attempt loop in-process: a scripted fetcher answers each attempt in turn, fake timers
 * stand in for every wait (backoff, Retry-After, the headers timeout) and `random` is fixed,
 * so each delay the policy chooses is asserted exactly, in milliseconds of real time.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProviderHealth } from '../../../src/upstream/health';
import type { AttemptRequest, Fetcher } from '../../../src/upstream/attempt';
import { runAttempts, type AttemptPlan, type AttemptRecord, type AttemptsResult } from '../../../src/upstream/attempts';
import type { RetryLimits } from '../../../src/upstream/retry-policy';
import type { Target } from '../../../src/upstream/target';

/** random 0.5 → each backoff is ¾ of its ceiling: 75, 150, 300, 600 ms with these limits. */
const RANDOM = 0.5;
const LIMITS: RetryLimits = { maxAttempts: 5, budgetMs: 30_000, maxRetryAfterMs: 10_000, backoffBaseMs: 100, backoffMaxMs: 1_000 };
const HEADERS_MS = 1_000;

/** One scripted answer: called with the attempt's fetch init, so it can honour its signal like fetch() does. */
type Script = (init: RequestInit) => Promise<Response>;

const answer =
  (status: number, body: string | null, headers: Record<string, string> = {}): Script =>
  () =>
    Promise.resolve(new Response(body, { status, headers }));
const jsonAnswer = (status: number, doc: unknown, headers: Record<string, string> = {}): Script =>
  answer(status, JSON.stringify(doc), { 'content-type': 'application/json', ...headers });
const ok = (): Script => jsonAnswer(200, { object: 'response', status: 'completed' });
const sseOk = (): Script => answer(200, 'event: response.created\ndata: {}\n\n', { 'content-type': 'text/event-stream' });
const upstreamError = (status: number, code: string | null = null, headers: Record<string, string> = {}): Script =>
  jsonAnswer(status, { error: { message: `upstream said ${status}`, type: 'server_error', code, param: null } }, headers);
const htmlPage = (status: number): Script => answer(status, '<html><body><h1>Bad Request</h1></body></html>', { 'content-type': 'text/html' });
const networkLost = (): Script => () => Promise.reject(new Error('Network connection lost.'));

/** Headers that never come: like fetch(), the promise settles only when the attempt's signal aborts. */
const hangs = (): Script => (init) =>
  new Promise((_resolve, reject) => {
    init.signal?.addEventListener('abort', () => reject(init.signal?.reason instanceof Error ? init.signal.reason : new Error('aborted')));
  });

/** A 200 stream whose first bytes never come; like fetch(), its body errors when the attempt's signal aborts. */
const silentStream = (): Script => (init) => {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      init.signal?.addEventListener('abort', () => controller.error(init.signal?.reason));
    },
  });
  return Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }));
};

interface FetchCall {
  readonly url: string;
  readonly init: RequestInit;
  /** Fake time when the attempt started. */
  readonly at: number;
}

/** A fetcher that plays the scripts in order and records every call; one call too many fails the test. */
function scriptedFetcher(...scripts: Script[]): { fetcher: Fetcher; calls: FetchCall[] } {
  const calls: FetchCall[] = [];
  const queue = [...scripts];
  const fetcher: Fetcher = (url, init) => {
    calls.push({ url, init, at: Date.now() });
    const next = queue.shift();
    return next === undefined ? Promise.reject(new Error(`unexpected fetch #${calls.length}`)) : next(init);
  };
  return { fetcher, calls };
}

const target = (name: string): Target => ({ name, healthKey: name, baseUrl: new URL(`https://${name}.example/v1`), auth: { kind: 'key', key: `sk-${name}` } });
const A = target('a');
const B = target('b');

/** A fresh request per call, naming its target, as routes/proxy.ts builds one. */
function freshRequest(t: Target): AttemptRequest {
  return {
    url: `${t.baseUrl.href}/responses`,
    method: 'POST',
    headers: new Headers({ authorization: `Bearer sk-${t.name}` }),
    body: new TextEncoder().encode('{"model":"m"}'),
  };
}

/** Provider health that lets every attempt through: these tests are about one request's own policy. */
const ALWAYS_HEALTHY: ProviderHealth = { admit: () => Promise.resolve({ kind: 'pass' }), report: () => Promise.resolve(), onChange: () => () => undefined };

function planFor(targets: readonly [Target, ...Target[]], limits: Partial<RetryLimits> = {}): AttemptPlan<Target> {
  return {
    targets,
    requestFor: freshRequest,
    limits: { ...LIMITS, ...limits },
    timeouts: { headersMs: HEADERS_MS },
    caps: { jsonBytes: 1024 * 1024 },
    health: ALWAYS_HEALTHY,
  };
}

interface Run {
  readonly result: AttemptsResult;
  readonly calls: FetchCall[];
}

/** Runs the loop to its end, letting fake time pass for every wait it makes. */
async function run(
  scripts: Script[],
  options: { targets?: readonly [Target, ...Target[]]; limits?: Partial<RetryLimits>; client?: AbortSignal } = {},
): Promise<Run> {
  const { fetcher, calls } = scriptedFetcher(...scripts);
  const pending = runAttempts(planFor(options.targets ?? [A], options.limits), options.client ?? new AbortController().signal, {
    fetcher,
    random: () => RANDOM,
  });
  await vi.runAllTimersAsync();
  return { result: await pending, calls };
}

/** The records without their durations: [target, outcome, status]. */
const trail = (attempts: readonly AttemptRecord[]): [string, string, number | null][] => attempts.map((r) => [r.target, r.outcome, r.status]);
const startTimes = (calls: readonly FetchCall[]): number[] => calls.map((call) => call.at);

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('absorbed: the client gets the answer of a later attempt', () => {
  it.each<[string, Script[], [string, string, number | null][], number[]]>([
    [
      'a reset before the status line is retried at once',
      [networkLost(), ok()],
      [
        ['a', 'transport', null],
        ['a', 'ok', 200],
      ],
      [0, 0],
    ],
    [
      'a second reset in a row waits a backoff',
      [networkLost(), networkLost(), ok()],
      [
        ['a', 'transport', null],
        ['a', 'transport', null],
        ['a', 'ok', 200],
      ],
      [0, 0, 75],
    ],
    [
      'a burst of 5xx is retried with growing backoff',
      [upstreamError(503), upstreamError(502), upstreamError(500), ok()],
      [
        ['a', 'status', 503],
        ['a', 'status', 502],
        ['a', 'status', 500],
        ['a', 'ok', 200],
      ],
      [0, 75, 225, 525],
    ],
    [
      'an HTML 400 from a load balancer is retried once, at once',
      [htmlPage(400), ok()],
      [
        ['a', 'status', 400],
        ['a', 'ok', 200],
      ],
      [0, 0],
    ],
    [
      'an empty 200 stream is retried',
      [answer(200, '', { 'content-type': 'text/event-stream' }), sseOk()],
      [
        ['a', 'empty', null],
        ['a', 'ok', 200],
      ],
      [0, 75],
    ],
    [
      'an empty 200 JSON body is retried',
      [answer(200, '', { 'content-type': 'application/json' }), ok()],
      [
        ['a', 'empty', null],
        ['a', 'ok', 200],
      ],
      [0, 75],
    ],
    [
      'headers that never come: abandoned at the headers timeout, then retried',
      [hangs(), ok()],
      [
        ['a', 'timeout', null],
        ['a', 'ok', 200],
      ],
      [0, HEADERS_MS + 75],
    ],
    [
      'a stream whose first bytes never come: abandoned at the headers timeout too',
      [silentStream(), sseOk()],
      [
        ['a', 'timeout', null],
        ['a', 'ok', 200],
      ],
      [0, HEADERS_MS + 75],
    ],
  ])('%s', async (_name, scripts, expected, starts) => {
    const { result, calls } = await run(scripts);
    expect(result.kind).toBe('ok');
    expect(trail(result.attempts)).toEqual(expected);
    expect(startTimes(calls)).toEqual(starts);
  });

  it.each<[string, Record<string, string>, number]>([
    ['Retry-After seconds', { 'retry-after': '2' }, 2_000],
    ['retry-after-ms', { 'retry-after-ms': '250' }, 250],
    ['an exhausted x-ratelimit-reset-requests', { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1.5s' }, 1_500],
  ])('a 429 with %s is waited out exactly', async (_name, headers, wait) => {
    const { result, calls } = await run([upstreamError(429, 'rate_limit_exceeded', headers), ok()]);
    expect(trail(result.attempts)).toEqual([
      ['a', 'status', 429],
      ['a', 'ok', 200],
    ]);
    expect(startTimes(calls)).toEqual([0, wait]);
  });

  it('a retry does not start a moment before its wait is over', async () => {
    const { fetcher, calls } = scriptedFetcher(upstreamError(503, null, { 'retry-after-ms': '400' }), ok());
    const pending = runAttempts(planFor([A]), new AbortController().signal, { fetcher, random: () => RANDOM });
    await vi.advanceTimersByTimeAsync(399);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    expect((await pending).kind).toBe('ok');
  });

  it('hands on a 2xx stream with its first bytes, and a JSON body read whole', async () => {
    const streamed = await run([sseOk()]);
    const buffered = await run([ok()]);
    if (streamed.result.kind !== 'ok' || buffered.result.kind !== 'ok') throw new Error('expected ok');
    const { body } = streamed.result.response;
    expect(body.kind === 'sse' && new TextDecoder().decode(body.first)).toBe('event: response.created\ndata: {}\n\n');
    expect(buffered.result.response.body.kind).toBe('buffered');
  });
});

describe('not absorbed: the loop stops and says why', () => {
  it.each<[string, Script, number]>([
    ['401', upstreamError(401, 'invalid_api_key'), 401],
    ['400 with a JSON error', upstreamError(400, 'context_length_exceeded'), 400],
    ['404 with a JSON error', upstreamError(404, 'model_not_found'), 404],
    ['422', upstreamError(422), 422],
    ['429 insufficient_quota', upstreamError(429, 'insufficient_quota'), 429],
  ])('a final %s stops after one attempt', async (_name, script, status) => {
    const { result, calls } = await run([script]);
    expect(result).toMatchObject({ kind: 'failed', stop: 'final', failure: { kind: 'status', status } });
    expect(calls).toHaveLength(1);
  });

  it('an HTML 400 that comes back after its one retry is final', async () => {
    const { result } = await run([htmlPage(400), htmlPage(400)]);
    expect(result).toMatchObject({ kind: 'failed', stop: 'final' });
    expect(trail(result.attempts)).toEqual([
      ['a', 'status', 400],
      ['a', 'status', 400],
    ]);
  });

  it('a provider that keeps answering 429: one is waited out, the second goes to the client with its hint', async () => {
    const limited = (): Script => upstreamError(429, 'rate_limit_exceeded', { 'retry-after': '1' });
    const { result, calls } = await run([limited(), limited()]);
    expect(result).toMatchObject({ kind: 'failed', stop: 'rate-limited', failure: { kind: 'status', status: 429, retryAfterMs: 1_000 } });
    expect(calls).toHaveLength(2);
  });

  it('a Retry-After longer than maxRetryAfterMs goes to the client, not waited out', async () => {
    const { result, calls } = await run([upstreamError(429, 'rate_limit_exceeded', { 'retry-after': '60' })]);
    expect(result).toMatchObject({ kind: 'failed', stop: 'wait-too-long', failure: { kind: 'status', status: 429, retryAfterMs: 60_000 } });
    expect(calls).toHaveLength(1);
  });

  it('the attempt count bounds a persistent 500', async () => {
    const { result, calls } = await run(
      Array.from({ length: 3 }, () => upstreamError(500)),
      { limits: { maxAttempts: 3 } },
    );
    expect(result).toMatchObject({ kind: 'failed', stop: 'attempts', failure: { kind: 'status', status: 500 } });
    expect(startTimes(calls)).toEqual([0, 75, 225]);
  });

  it('the time budget bounds the loop: a wait that does not fit is not started', async () => {
    const slow = (): Script => upstreamError(503, null, { 'retry-after-ms': '600' });
    const { result, calls } = await run([slow(), slow()], { limits: { budgetMs: 1_000 } });
    expect(result).toMatchObject({ kind: 'failed', stop: 'budget' });
    // 0 + 600 fits in 1000 ms; 600 + 600 does not.
    expect(startTimes(calls)).toEqual([0, 600]);
  });

  it('a headers timeout longer than the budget is not retried on the only target', async () => {
    const { result } = await run([hangs()], { limits: { budgetMs: 500 } });
    expect(result).toMatchObject({ kind: 'failed', stop: 'budget', failure: { kind: 'timeout', afterMs: HEADERS_MS } });
    expect(result.attempts).toEqual([{ target: 'a', outcome: 'timeout', status: null, ms: HEADERS_MS }]);
  });

  it('names the transport error of the last attempt (a provider that never answers: the first loss was our socket, five are its)', async () => {
    const { result, calls } = await run(Array.from({ length: 6 }, networkLost));
    expect(result).toMatchObject({ kind: 'failed', stop: 'attempts', failure: { kind: 'transport', message: 'Network connection lost.' } });
    expect(calls).toHaveLength(6);
  });
});

describe('fallback to the next target of a route', () => {
  it.each<[string, Script[], [string, string, number | null][], number[]]>([
    [
      'a second reset moves on to the next target at once',
      [networkLost(), networkLost(), ok()],
      [
        ['a', 'transport', null],
        ['a', 'transport', null],
        ['b', 'ok', 200],
      ],
      [0, 0, 0],
    ],
    [
      'a headers timeout moves on at once',
      [hangs(), ok()],
      [
        ['a', 'timeout', null],
        ['b', 'ok', 200],
      ],
      [0, HEADERS_MS],
    ],
    [
      'a 5xx moves on at once',
      [upstreamError(502), ok()],
      [
        ['a', 'status', 502],
        ['b', 'ok', 200],
      ],
      [0, 0],
    ],
    [
      'a 429 asking too long a wait moves on at once',
      [upstreamError(429, null, { 'retry-after': '60' }), ok()],
      [
        ['a', 'status', 429],
        ['b', 'ok', 200],
      ],
      [0, 0],
    ],
    [
      'both failing: wraps around to the first after a backoff',
      [upstreamError(500), upstreamError(500), ok()],
      [
        ['a', 'status', 500],
        ['b', 'status', 500],
        ['a', 'ok', 200],
      ],
      [0, 0, 150],
    ],
  ])('%s', async (_name, scripts, expected, starts) => {
    const { result, calls } = await run(scripts, { targets: [A, B] });
    expect(result.kind).toBe('ok');
    expect(result.kind === 'ok' && result.target.name).toBe(expected.at(-1)?.[0]);
    expect(trail(result.attempts)).toEqual(expected);
    expect(startTimes(calls)).toEqual(starts);
  });

  it('a headers timeout past the budget still falls over to an untried target', async () => {
    const { result } = await run([hangs(), ok()], { targets: [A, B], limits: { budgetMs: 500 } });
    expect(trail(result.attempts)).toEqual([
      ['a', 'timeout', null],
      ['b', 'ok', 200],
    ]);
  });

  it('a final answer from the first target is not retried on the second', async () => {
    const { result, calls } = await run([upstreamError(401, 'invalid_api_key')], { targets: [A, B] });
    expect(result).toMatchObject({ kind: 'failed', stop: 'final', target: { name: 'a' } });
    expect(calls).toHaveLength(1);
  });
});

describe('every attempt is a fresh request', () => {
  it("the fetcher gets requestFor's output for each attempt's target, with a signal of its own", async () => {
    const requestFor = vi.fn(freshRequest);
    const { fetcher, calls } = scriptedFetcher(networkLost(), networkLost(), ok());
    await runAttempts({ ...planFor([A, B]), requestFor }, new AbortController().signal, { fetcher, random: () => RANDOM });
    expect(requestFor.mock.calls.map(([t]) => t.name)).toEqual(['a', 'a', 'b']);
    const built = requestFor.mock.results.map((r) => r.value as AttemptRequest);
    expect(calls.map((call) => call.url)).toEqual(['https://a.example/v1/responses', 'https://a.example/v1/responses', 'https://b.example/v1/responses']);
    calls.forEach((call, i) => {
      expect(call.init.headers).toBe(built[i]?.headers);
      expect(call.init.body).toBe(built[i]?.body);
      expect(call.init).toMatchObject({ method: 'POST', redirect: 'manual' });
    });
    expect(new Set(calls.map((call) => call.init.signal)).size).toBe(3);
  });
});

describe('a client that goes away', () => {
  it('during an attempt: the fetch is aborted, the loop ends cancelled, nothing more is fetched', async () => {
    const client = new AbortController();
    const { fetcher, calls } = scriptedFetcher(hangs(), ok());
    const pending = runAttempts(planFor([A, B]), client.signal, { fetcher, random: () => RANDOM });
    await vi.advanceTimersByTimeAsync(100);
    client.abort();
    const result = await pending;
    await vi.runAllTimersAsync();
    expect(result.kind).toBe('cancelled');
    expect(result.attempts).toEqual([{ target: 'a', outcome: 'cancelled', status: null, ms: 100 }]);
    expect(calls[0]?.init.signal?.aborted).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('during a backoff pause: the loop ends at once, without the next fetch', async () => {
    const client = new AbortController();
    const { fetcher, calls } = scriptedFetcher(upstreamError(503, null, { 'retry-after': '5' }), ok());
    const pending = runAttempts(planFor([A]), client.signal, { fetcher, random: () => RANDOM });
    await vi.advanceTimersByTimeAsync(1_000);
    client.abort();
    const result = await pending;
    expect(Date.now()).toBe(1_000);
    await vi.runAllTimersAsync();
    expect(result).toEqual({ kind: 'cancelled', attempts: [{ target: 'a', outcome: 'status', status: 503, ms: 0 }] });
    expect(calls).toHaveLength(1);
  });

  it('before the first attempt: nothing is fetched', async () => {
    const { result, calls } = await run([ok()], { client: AbortSignal.abort() });
    expect(result.kind).toBe('cancelled');
    expect(calls).toHaveLength(0);
  });
});
