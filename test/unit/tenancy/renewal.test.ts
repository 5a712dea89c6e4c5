import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renewWhileRunning } from '../../../src/tenancy/renewal';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** A renewal that counts its calls (failing when asked), and the background work it left. */
function renewal(fails = false): { renew: () => Promise<void>; calls: () => number; work: Promise<unknown>[] } {
  let calls = 0;
  const work: Promise<unknown>[] = [];
  return {
    renew: () => {
      calls += 1;
      return fails ? Promise.reject(new Error('limiter unreachable')) : Promise.resolve();
    },
    calls: () => calls,
    work,
  };
}

describe('renewWhileRunning', () => {
  it.each([
    ['a request shorter than one period: no renewal', 99, 0],
    ['one renewal per period', 100, 1],
    ['a long request: one per period', 350, 3],
    ['at most forMs / everyMs renewals, however long it runs', 10_000, 5],
  ])('%s', (_name, runMs, expected) => {
    const { renew, calls, work } = renewal();
    renewWhileRunning(renew, { everyMs: 100, forMs: 500 }, (promise) => work.push(promise));
    vi.advanceTimersByTime(runMs);
    expect(calls()).toBe(expected);
    expect(work).toHaveLength(expected);
  });

  it('a period that is no number (no lease term from an older limiter) renews nothing, rather than in a tight loop', () => {
    const { renew, calls } = renewal();
    renewWhileRunning(renew, { everyMs: Number.NaN, forMs: 10_000 }, () => undefined);
    vi.advanceTimersByTime(1_000);
    expect(calls()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops when the request ends', () => {
    const { renew, calls } = renewal();
    const stop = renewWhileRunning(renew, { everyMs: 100, forMs: 10_000 }, () => undefined);
    vi.advanceTimersByTime(250);
    stop();
    vi.advanceTimersByTime(1_000);
    expect(calls()).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a failed renewal is settled in the background and the next one still comes', async () => {
    const { renew, calls, work } = renewal(true);
    renewWhileRunning(renew, { everyMs: 100, forMs: 10_000 }, (promise) => work.push(promise));
    vi.advanceTimersByTime(200);
    expect(calls()).toBe(2);
    await expect(Promise.all(work)).resolves.toEqual([undefined, undefined]);
  });
});
