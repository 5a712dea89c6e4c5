import { describe, expect, it } from 'vitest';
import type { RequestOutcome } from '../../../src/tenancy/ticket';
import type { AttemptRecord } from '../../../src/upstream/attempts';
import { sumUsage, usageDay, usageDelta, ZERO_USAGE, type UsageCounts } from '../../../src/teams/usage';

const ok = (target = 'primary'): AttemptRecord => ({ target, outcome: 'ok', status: 200, ms: 5 });
const status = (code: number, target = 'primary'): AttemptRecord => ({ target, outcome: 'status', status: code, ms: 5 });
const failure = (outcome: 'transport' | 'stale' | 'timeout' | 'empty' | 'redirect' | 'oversized', target = 'primary'): AttemptRecord => ({
  target,
  outcome,
  status: null,
  ms: 5,
});
const outcome = (attempts: AttemptRecord[], fields: Partial<RequestOutcome> = {}): RequestOutcome => ({
  startedAt: 0,
  attempts,
  failed: false,
  usage: null,
  ...fields,
});

describe('usageDelta', () => {
  it.each<[string, RequestOutcome, Partial<UsageCounts>]>([
    ['one clean attempt', outcome([ok()]), { requests: 1 }],
    ['a retry after a reset: absorbed', outcome([failure('transport'), ok()]), { requests: 1, absorbed: 1, absorbed_transport: 1, retries: 1 }],
    [
      'two of our own stale connections, then ok: absorbed lost connections, no retry',
      outcome([failure('stale'), failure('stale'), ok()]),
      { requests: 1, absorbed: 1, absorbed_transport: 2 },
    ],
    [
      '503, 502, 429, then ok',
      outcome([status(503), status(502), status(429), ok()]),
      { requests: 1, absorbed: 1, absorbed_5xx: 2, absorbed_429: 1, retries: 3 },
    ],
    [
      'timeout and empty',
      outcome([failure('timeout'), failure('empty'), ok()]),
      { requests: 1, absorbed: 1, absorbed_timeout: 1, absorbed_empty: 1, retries: 2 },
    ],
    [
      'a stale-connection 400, a redirect: other',
      outcome([status(400), failure('redirect'), ok()]),
      { requests: 1, absorbed: 1, absorbed_other: 2, retries: 2 },
    ],
    [
      'a fallback to another provider',
      outcome([status(503, 'primary'), ok('backup')]),
      { requests: 1, absorbed: 1, absorbed_5xx: 1, retries: 1, fallbacks: 1 },
    ],
    ['a failure the client saw: nothing absorbed', outcome([status(503), status(503)], { failed: true }), { requests: 1, failed: 1, retries: 1 }],
    ['a final 400: failed', outcome([status(400)], { failed: true }), { requests: 1, failed: 1 }],
    ['turned away by an open breaker', outcome([], { failed: true }), { requests: 1, failed: 1 }],
    [
      'answered after a retry but the stream then broke: failed, not absorbed',
      outcome([failure('transport'), ok()], { failed: true }),
      { requests: 1, failed: 1, retries: 1 },
    ],
    ['the client went away', outcome([{ target: 'primary', outcome: 'cancelled', status: null, ms: 5 }]), { requests: 1 }],
    [
      'tokens',
      outcome([ok()], { usage: { input: 100, output: 20, total: 120, cached: 64, reasoning: 8 } }),
      { requests: 1, metered: 1, input_tokens: 100, output_tokens: 20, total_tokens: 120, cached_tokens: 64, reasoning_tokens: 8 },
    ],
  ])('%s', (_name, request, expected) => {
    expect(usageDelta(request)).toEqual({ ...ZERO_USAGE, ...expected });
  });
});

describe('usage helpers', () => {
  it('the UTC day of a time', () => {
    expect(usageDay(Date.parse('2030-01-31T23:59:59.999Z'))).toBe('2030-01-31');
    expect(usageDay(Date.parse('2030-02-01T00:00:00Z'))).toBe('2030-02-01');
  });

  it('sums counts', () => {
    expect(sumUsage([])).toEqual(ZERO_USAGE);
    expect(
      sumUsage([
        { ...ZERO_USAGE, requests: 2, input_tokens: 5 },
        { ...ZERO_USAGE, requests: 1, failed: 1 },
      ]),
    ).toEqual({ ...ZERO_USAGE, requests: 3, failed: 1, input_tokens: 5 });
  });
});
