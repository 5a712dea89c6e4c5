/**
 * The attempt loop in-process, on one target: what it absorbs (a later attempt answers the
 * client, after the wait the policy chose) and where it stops, and why. A scripted fetcher
 * answers each attempt in turn and fake timers stand in for every wait (scripted-fetcher.ts).
 */
import { describe, expect, it, vi } from 'vitest';
import { runAttempts } from '../../../src/upstream/attempts';
import { STALE_IN_A_ROW } from '../../../src/upstream/failure-counts';
import { useFakeClock } from '../fake-clock';
import {
  A,
  answer,
  hangs,
  HEADERS_MS,
  htmlPage,
  networkLost,
  ok,
  planFor,
  RANDOM,
  run,
  scriptedFetcher,
  silentStream,
  sseOk,
  startTimes,
  trail,
  upstreamError,
  type Script,
} from './scripted-fetcher';

useFakeClock();

/** One of each for every stale connection a request may take for its own in a row. */
const stale = <T>(each: () => T): T[] => Array.from({ length: STALE_IN_A_ROW }, each);

describe('absorbed: the client gets the answer of a later attempt', () => {
  it.each<[string, Script[], [string, string, number | null][], number[]]>([
    [
      'a reset before the status line is retried at once',
      [networkLost(), ok()],
      [
        ['a', 'stale', null],
        ['a', 'ok', 200],
      ],
      [0, 0],
    ],
    [
      'resets in a row are our own dead pooled connections, each retried at once, up to STALE_IN_A_ROW',
      [...stale(networkLost), ok()],
      [...stale(() => ['a', 'stale', null] as [string, string, null]), ['a', 'ok', 200]],
      stale(() => 0).concat(0),
    ],
    [
      'one more reset in a row is the provider’s: it waits a backoff',
      [...stale(networkLost), networkLost(), ok()],
      [...stale(() => ['a', 'stale', null] as [string, string, null]), ['a', 'transport', null], ['a', 'ok', 200]],
      stale(() => 0).concat(0, 75),
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
      'an HTML 400 from a load balancer (our own stale connection) is retried at once',
      [htmlPage(400), ok()],
      [
        ['a', 'stale', 400],
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

  it('an HTML 400 that comes back past our own stale connections is final (a wrong base path: STALE_IN_A_ROW + 1 fetches, all at once)', async () => {
    const { result, calls } = await run([...stale(() => htmlPage(400)), htmlPage(400)]);
    expect(result).toMatchObject({ kind: 'failed', stop: 'final' });
    expect(trail(result.attempts)).toEqual(stale(() => ['a', 'stale', 400]).concat([['a', 'status', 400]]));
    expect(new Set(calls.map((call) => call.at))).toEqual(new Set([0]));
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

  it('names the transport error of the last attempt (a provider that never answers: STALE_IN_A_ROW losses taken for our sockets, five its own)', async () => {
    const { result, calls } = await run(Array.from({ length: STALE_IN_A_ROW + 5 }, networkLost));
    expect(result).toMatchObject({ kind: 'failed', stop: 'attempts', failure: { kind: 'transport', message: 'Network connection lost.', phase: 'headers' } });
    expect(calls).toHaveLength(STALE_IN_A_ROW + 5);
  });
});
