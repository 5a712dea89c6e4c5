/**
 * The attempt loop in-process, with a client that goes away: before, during or between attempts,
 * the loop ends cancelled and nothing more is fetched.
 */
import { describe, expect, it, vi } from 'vitest';
import { runAttempts } from '../../../src/upstream/attempts';
import { useFakeClock } from '../fake-clock';
import { A, B, hangs, ok, planFor, RANDOM, run, scriptedFetcher, upstreamError } from './scripted-fetcher';

useFakeClock();

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
