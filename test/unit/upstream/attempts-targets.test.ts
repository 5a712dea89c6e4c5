/**
 * The attempt loop in-process, over a route of two targets: which target each attempt goes to
 * (the fallback, and when there is none), and that each gets a request built for it.
 */
import { describe, expect, it, vi } from 'vitest';
import type { AttemptRequest } from '../../../src/upstream/attempt';
import { STALE_IN_A_ROW } from '../../../src/upstream/failure-counts';
import { runAttempts } from '../../../src/upstream/attempts';
import { useFakeClock } from '../fake-clock';
import {
  A,
  B,
  freshRequest,
  hangs,
  HEADERS_MS,
  networkLost,
  ok,
  planFor,
  RANDOM,
  run,
  scriptedFetcher,
  startTimes,
  trail,
  upstreamError,
  type Script,
} from './scripted-fetcher';

useFakeClock();

describe('fallback to the next target of a route', () => {
  it.each<[string, Script[], [string, string, number | null][], number[]]>([
    [
      'a reset past our own stale connections moves on to the next target at once',
      [...Array.from({ length: STALE_IN_A_ROW + 1 }, networkLost), ok()],
      [...Array.from({ length: STALE_IN_A_ROW }, (): [string, string, null] => ['a', 'stale', null]), ['a', 'transport', null], ['b', 'ok', 200]],
      Array.from({ length: STALE_IN_A_ROW + 2 }, () => 0),
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
    const { fetcher, calls } = scriptedFetcher(networkLost(), upstreamError(503), ok());
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
