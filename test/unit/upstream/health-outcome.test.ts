import { describe, expect, it } from 'vitest';
import type { AttemptOutcome } from '../../../src/upstream/attempt';
import type { HealthOutcome } from '../../../src/upstream/breaker';
import { healthOutcome } from '../../../src/upstream/health';
import type { AttemptFailure } from '../../../src/upstream/outcome';

const failed = (failure: AttemptFailure): AttemptOutcome => ({ kind: 'failed', failure });
const answered = (status: number, code: string | null = null): AttemptOutcome =>
  failed({ kind: 'status', status, error: { message: 'm', type: null, code, param: null, shape: 'json' }, retryAfterMs: null });

describe('healthOutcome: what an attempt says about its provider', () => {
  it.each<[string, AttemptOutcome, boolean, HealthOutcome]>([
    ['a client that went away: nothing', { kind: 'cancelled' }, false, { kind: 'unknown' }],
    ['our own stale connection: nothing', failed({ kind: 'transport', message: 'Network connection lost.', phase: 'headers' }), true, { kind: 'unknown' }],
    [
      'a connection lost before any answer',
      failed({ kind: 'transport', message: 'Network connection lost.', phase: 'headers' }),
      false,
      { kind: 'failure', reason: 'could not be reached' },
    ],
    [
      'a connection lost mid-answer',
      failed({ kind: 'transport', message: 'Network connection lost.', phase: 'body' }),
      false,
      { kind: 'failure', reason: 'cut its answers short' },
    ],
    ['a 503', answered(503), false, { kind: 'failure', reason: 'answered 503' }],
    ['a 429: up but busy', answered(429), false, { kind: 'neutral' }],
    ['a final 400: up', answered(400), false, { kind: 'success' }],
    ['a timeout', failed({ kind: 'timeout', afterMs: 1000, phase: 'headers' }), false, { kind: 'failure', reason: 'timed out' }],
    ['an empty body', failed({ kind: 'empty' }), false, { kind: 'failure', reason: 'answered with an empty body' }],
  ])('%s', (_name, outcome, ownConnection, expected) => {
    expect(healthOutcome(outcome, ownConnection)).toEqual(expected);
  });
});
