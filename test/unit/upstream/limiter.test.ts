import { describe, expect, it } from 'vitest';
import { CONCURRENCY_RETRY_MS, decideLimits, hasLimits, NO_LIMITS, SlidingWindow, type ScopeCheck } from '../../../src/upstream/limiter';

describe('SlidingWindow', () => {
  it('admits up to the limit within a minute, then says when the oldest request leaves', () => {
    const window = new SlidingWindow();
    for (const at of [0, 10_000, 20_000]) {
      expect(window.waitMs(at, 3)).toBe(0);
      window.record(at);
    }
    expect(window.waitMs(30_000, 3)).toBe(30_000); // the request of t=0 leaves at 60 000
    expect(window.waitMs(59_999, 3)).toBe(1);
    expect(window.waitMs(60_000, 3)).toBe(0);
  });

  it('a request counts for exactly the span: at span it is gone', () => {
    const window = new SlidingWindow(1_000);
    window.record(500);
    expect(window.waitMs(1_499, 1)).toBe(1);
    expect(window.waitMs(1_500, 1)).toBe(0);
  });

  it('with more requests than a lowered limit, waits until enough have left', () => {
    const window = new SlidingWindow();
    for (const at of [0, 1_000, 2_000, 3_000]) window.record(at);
    // limit 2: for one more to fit, three of the four must leave; the third (t=2000) leaves at 62 000
    expect(window.waitMs(10_000, 2)).toBe(52_000);
    expect(window.waitMs(10_000, 5)).toBe(0);
  });

  it('many requests at the same instant all leave together', () => {
    const window = new SlidingWindow();
    for (let i = 0; i < 5; i += 1) window.record(1_000);
    expect(window.waitMs(1_000, 5)).toBe(60_000);
    expect(window.waitMs(61_000, 5)).toBe(0);
  });

  it('forgets what left the window, and says when it holds nothing', () => {
    const window = new SlidingWindow();
    expect(window.idle(0)).toBe(true);
    for (let at = 0; at < 10_000; at += 1) window.record(at);
    expect(window.idle(60_000)).toBe(false);
    // at 65 000 the requests of t <= 5000 have left: 4999 remain (t = 5001..9999)
    expect(window.waitMs(65_000, 4_999)).toBe(1);
    expect(window.waitMs(65_000, 5_000)).toBe(0);
    expect(window.idle(70_000)).toBe(true);
  });
});

describe('decideLimits', () => {
  const check = (fields: Partial<ScopeCheck>): ScopeCheck => ({ scope: 'team', limits: NO_LIMITS, rateWaitMs: 0, inFlight: 0, ...fields });

  it.each<[string, ScopeCheck[], ReturnType<typeof decideLimits>]>([
    ['no limits', [check({ rateWaitMs: 5_000, inFlight: 100 })], null],
    [
      'room in every scope',
      [check({ scope: 'key', limits: { rpm: 10, maxStreams: 2 }, inFlight: 1 }), check({ limits: { rpm: 100, maxStreams: 5 }, inFlight: 4 })],
      null,
    ],
    ['team rate', [check({ limits: { rpm: 60, maxStreams: null }, rateWaitMs: 12_000 })], { scope: 'team', limit: 'rpm', max: 60, retryInMs: 12_000 }],
    [
      'team streams',
      [check({ limits: { rpm: null, maxStreams: 4 }, inFlight: 4 })],
      { scope: 'team', limit: 'max_streams', max: 4, retryInMs: CONCURRENCY_RETRY_MS },
    ],
    [
      'key rate',
      [check({ scope: 'key', limits: { rpm: 5, maxStreams: null }, rateWaitMs: 3_000 }), check({ limits: { rpm: 100, maxStreams: null } })],
      { scope: 'key', limit: 'rpm', max: 5, retryInMs: 3_000 },
    ],
    [
      'the limit that binds longest is named',
      [
        check({ scope: 'key', limits: { rpm: 5, maxStreams: 1 }, rateWaitMs: 3_000, inFlight: 1 }),
        check({ limits: { rpm: 100, maxStreams: null }, rateWaitMs: 20_000 }),
      ],
      { scope: 'team', limit: 'rpm', max: 100, retryInMs: 20_000 },
    ],
    [
      'on a tie, the first scope (the key)',
      [check({ scope: 'key', limits: { rpm: null, maxStreams: 1 }, inFlight: 1 }), check({ limits: { rpm: null, maxStreams: 3 }, inFlight: 3 })],
      { scope: 'key', limit: 'max_streams', max: 1, retryInMs: CONCURRENCY_RETRY_MS },
    ],
  ])('%s', (_name, checks, expected) => {
    expect(decideLimits(checks)).toEqual(expected);
  });

  it('hasLimits', () => {
    expect(hasLimits(NO_LIMITS)).toBe(false);
    expect(hasLimits({ rpm: 1, maxStreams: null })).toBe(true);
    expect(hasLimits({ rpm: null, maxStreams: 1 })).toBe(true);
  });
});
