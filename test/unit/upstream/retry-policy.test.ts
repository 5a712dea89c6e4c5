import { describe, expect, it } from 'vitest';
import type { AttemptFailure, UpstreamError } from '../../../src/upstream/outcome';
import { backoffMs, classifyFailure, decideRetry, remainingLimits, type RetryLimits, type RetryState } from '../../../src/upstream/retry-policy';

const limits: RetryLimits = { maxAttempts: 5, budgetMs: 30_000, maxRetryAfterMs: 10_000, backoffBaseMs: 200, backoffMaxMs: 4_000 };
const json = (code: string | null = null): UpstreamError => ({ message: 'm', type: null, code, param: null, shape: 'json' });
const html: UpstreamError = { message: null, type: null, code: null, param: null, shape: 'other' };
const status = (s: number, error: UpstreamError = json(), retryAfterMs: number | null = null): AttemptFailure => ({
  kind: 'status',
  status: s,
  error,
  retryAfterMs,
});
const state = (patch: Partial<RetryState> = {}): RetryState => ({
  attempts: 1,
  elapsedMs: 0,
  targetIndex: 0,
  targetCount: 1,
  ownConnection: false,
  rateLimited: 0,
  ...patch,
});

describe('classifyFailure', () => {
  it.each<[string, AttemptFailure, ReturnType<typeof classifyFailure>]>([
    ['connection lost before headers', { kind: 'transport', message: 'Network connection lost.', phase: 'headers' }, 'reconnect'],
    ['headers timeout', { kind: 'timeout', afterMs: 1000, phase: 'headers' }, 'transient'],
    ['empty 200 stream', { kind: 'empty' }, 'transient'],
    ...[408, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524, 529].map((s): [string, AttemptFailure, 'transient'] => [`${s}`, status(s), 'transient']),
    ['429 insufficient_quota', status(429, json('insufficient_quota')), 'final'],
    ['429 with insufficient_quota as its type only', status(429, { ...json(), type: 'insufficient_quota' }), 'final'],
    ...[400, 401, 403, 404, 405, 409, 413, 422, 501].map((s): [string, AttemptFailure, 'final'] => [`${s} with a JSON error`, status(s), 'final']),
    ['400 HTML from a load balancer', status(400, html), 'suspect'],
    ['404 HTML from a load balancer', status(404, html), 'suspect'],
    ['401 HTML stays final', status(401, html), 'final'],
  ])('%s → %s', (_name, failure, expected) => {
    expect(classifyFailure(failure)).toBe(expected);
  });
});

describe('decideRetry', () => {
  it.each<[string, AttemptFailure, Partial<RetryState>, ReturnType<typeof decideRetry>]>([
    [
      'our own stale connection lost: at once, same target',
      { kind: 'transport', message: 'x', phase: 'headers' },
      { ownConnection: true },
      { kind: 'retry', delayMs: 0, targetIndex: 0 },
    ],
    [
      'second connection loss: backoff (the first was our own socket, not an attempt)',
      { kind: 'transport', message: 'x', phase: 'headers' },
      { attempts: 1 },
      { kind: 'retry', delayMs: 200, targetIndex: 0 },
    ],
    [
      'a connection loss in a row after 503s: the backoff grows with the attempts, not the run',
      { kind: 'transport', message: 'x', phase: 'headers' },
      { attempts: 3 },
      { kind: 'retry', delayMs: 800, targetIndex: 0 },
    ],
    [
      'our own stale socket when the time budget is spent (a fallback reached after a long timeout): at once all the same',
      { kind: 'transport', message: 'x', phase: 'headers' },
      { attempts: 1, ownConnection: true, elapsedMs: 45_000, targetIndex: 1, targetCount: 2 },
      { kind: 'retry', delayMs: 0, targetIndex: 1 },
    ],
    [
      'a second loss in a row when the time budget is spent: stop',
      { kind: 'transport', message: 'x', phase: 'headers' },
      { attempts: 2, elapsedMs: 45_000, targetIndex: 1, targetCount: 2 },
      { kind: 'stop', reason: 'budget' },
    ],
    [
      'second connection loss, first of two targets: next target at once',
      { kind: 'transport', message: 'x', phase: 'headers' },
      { attempts: 2, targetCount: 2 },
      { kind: 'retry', delayMs: 0, targetIndex: 1 },
    ],
    [
      'connection loss on the last of two targets: wrap around after backoff',
      { kind: 'transport', message: 'x', phase: 'headers' },
      { attempts: 2, targetCount: 2, targetIndex: 1 },
      { kind: 'retry', delayMs: 400, targetIndex: 0 },
    ],
    ['503 honours Retry-After', status(503, json(), 2_500), {}, { kind: 'retry', delayMs: 2_500, targetIndex: 0 }],
    ['503 without hint: backoff', status(503), {}, { kind: 'retry', delayMs: 200, targetIndex: 0 }],
    ['a zero hint never collapses the backoff', status(503, json(), 0), {}, { kind: 'retry', delayMs: 200, targetIndex: 0 }],
    ['a hint shorter than the backoff waits the backoff', status(429, json(), 50), { rateLimited: 1 }, { kind: 'retry', delayMs: 200, targetIndex: 0 }],
    [
      "a second 429 in one request goes to the client (its own retries would multiply the gateway's)",
      status(429, json(), 1_000),
      { attempts: 2, rateLimited: 2 },
      { kind: 'stop', reason: 'rate-limited' },
    ],
    ['a 503 after a 429 is still retried', status(503), { attempts: 2, rateLimited: 1 }, { kind: 'retry', delayMs: 400, targetIndex: 0 }],
    ['a redirect is final (never followed)', { kind: 'redirect', status: 307, location: 'elsewhere.example' }, {}, { kind: 'stop', reason: 'final' }],
    [
      'a body over its cap is final',
      { kind: 'oversized', what: 'a JSON answer', limitBytes: 1, setting: 'MAX_UPSTREAM_JSON_BYTES' },
      {},
      { kind: 'stop', reason: 'final' },
    ],
    ['a body in an encoding the gateway cannot read is final', { kind: 'undecodable', encoding: 'zstd' }, {}, { kind: 'stop', reason: 'final' }],
    ['429 hint beyond the limit: stop', status(429, json(), 60_000), {}, { kind: 'stop', reason: 'wait-too-long' }],
    [
      '429 hint beyond the limit, second target: fall over at once',
      status(429, json(), 60_000),
      { targetCount: 2 },
      { kind: 'retry', delayMs: 0, targetIndex: 1 },
    ],
    ['500 on first of two targets: next target at once', status(500), { targetCount: 2 }, { kind: 'retry', delayMs: 0, targetIndex: 1 }],
    [
      '500 on last of two targets: wrap around after backoff',
      status(500),
      { targetCount: 2, targetIndex: 1, attempts: 2 },
      { kind: 'retry', delayMs: 400, targetIndex: 0 },
    ],
    ['401: final', status(401), {}, { kind: 'stop', reason: 'final' }],
    ['insufficient_quota: final', status(429, json('insufficient_quota')), {}, { kind: 'stop', reason: 'final' }],
    ['LB 400 on our own stale connection: at once', status(400, html), { ownConnection: true }, { kind: 'retry', delayMs: 0, targetIndex: 0 }],
    ['LB 400 past our stale connections: final', status(400, html), { attempts: 2 }, { kind: 'stop', reason: 'final' }],
    [
      '429 hint beyond the limit on the last of two targets: no burst back to the first',
      status(429, json(), 60_000),
      { targetCount: 2, targetIndex: 1, attempts: 2 },
      { kind: 'stop', reason: 'wait-too-long' },
    ],
    [
      'a timeout after the budget still moves on to an untried target',
      { kind: 'timeout', afterMs: 120_000, phase: 'headers' },
      { targetCount: 2, elapsedMs: 120_000 },
      { kind: 'retry', delayMs: 0, targetIndex: 1 },
    ],
    [
      'a timeout after the budget on the only target: stop',
      { kind: 'timeout', afterMs: 120_000, phase: 'headers' },
      { elapsedMs: 120_000 },
      { kind: 'stop', reason: 'budget' },
    ],
    ['attempts used up', status(503), { attempts: 5 }, { kind: 'stop', reason: 'attempts' }],
    ['budget used up', status(503, json(), 1_000), { elapsedMs: 29_500 }, { kind: 'stop', reason: 'budget' }],
  ])('%s', (_name, failure, patch, expected) => {
    // random 1 → the top of the jitter range, so delays are exact
    expect(decideRetry(failure, state(patch), limits, 0.999999)).toEqual(expected);
  });
});

describe('backoffMs', () => {
  it.each([
    [1, 0, 100],
    [1, 0.999999, 200],
    [3, 0, 400],
    [3, 0.999999, 800],
    [10, 0.999999, 4_000],
  ])('retry %i with random %f → %i ms', (retry, random, expected) => {
    expect(backoffMs(retry, limits, random)).toBe(expected);
  });
});

describe('remainingLimits (a call sent again after its adapter learned from a refusal)', () => {
  it.each([
    ['one attempt made, at once', 1, 0, 4, 30_000],
    ['three attempts over 12 s', 3, 12_000, 2, 18_000],
    ['every attempt spent: one more, the request the provider has not seen', 5, 1_000, 1, 29_000],
    ['the budget spent', 2, 45_000, 3, 0],
  ])('%s', (_name, attempts, elapsedMs, maxAttempts, budgetMs) => {
    expect(remainingLimits(limits, attempts, elapsedMs)).toEqual({ ...limits, maxAttempts, budgetMs });
  });
});
