import { describe, expect, it } from 'vitest';
import { admit, CLOSED, record, type Admission, type Breaker, type BreakerPolicy, type HealthOutcome } from '../../../src/upstream/breaker';

const POLICY: BreakerPolicy = { failureThreshold: 3, failureWindowMs: 10_000, openMs: 2_000, maxOpenMs: 10_000, probeTimeoutMs: 30_000 };
const FAIL: HealthOutcome = { kind: 'failure', reason: '503 Service Unavailable' };
const OK: HealthOutcome = { kind: 'success' };
const NEUTRAL: HealthOutcome = { kind: 'neutral' };
const UNKNOWN: HealthOutcome = { kind: 'unknown' };
const open = (until: number, openMs = 2_000): Breaker => ({ state: 'open', until, openMs, reason: 'r' });
const halfOpen = (probeUntil: number, openMs = 2_000): Breaker => ({ state: 'half-open', probeUntil, openMs, reason: 'r' });

describe('admit', () => {
  it.each<[string, Breaker, number, Admission['kind'], Breaker['state']]>([
    ['closed: every request passes', CLOSED, 0, 'pass', 'closed'],
    ['open: refused until the period ends', open(5_000), 4_999, 'reject', 'open'],
    ['open, period over: this request is the one probe', open(5_000), 5_000, 'probe', 'half-open'],
    ['half-open: others are refused while the probe runs', halfOpen(40_000), 6_000, 'reject', 'half-open'],
    ['half-open, probe lost: a new probe', halfOpen(40_000), 40_000, 'probe', 'half-open'],
  ])('%s', (_name, breaker, now, admission, state) => {
    const admitted = admit(breaker, now, POLICY);
    expect(admitted.admission.kind).toBe(admission);
    expect(admitted.breaker.state).toBe(state);
  });

  it('tells a refused client how long the breaker stays open', () => {
    expect(admit(open(5_000), 3_500, POLICY).admission).toEqual({ kind: 'reject', retryInMs: 1_500, reason: 'r', probing: false });
    expect(admit(halfOpen(40_000, 4_000), 6_000, POLICY).admission).toMatchObject({ retryInMs: 4_000, probing: true });
  });
});

describe('record', () => {
  it.each<[string, Breaker, HealthOutcome, boolean, Breaker]>([
    ['a failure counts', CLOSED, FAIL, false, { state: 'closed', failures: 1, lastFailureAt: 20_000 }],
    [
      'failures further apart than the window do not add up',
      { state: 'closed', failures: 2, lastFailureAt: 5_000 },
      FAIL,
      false,
      { state: 'closed', failures: 1, lastFailureAt: 20_000 },
    ],
    [
      'the third failure in a row opens it',
      { state: 'closed', failures: 2, lastFailureAt: 19_000 },
      FAIL,
      false,
      { state: 'open', until: 22_000, openMs: 2_000, reason: '503 Service Unavailable' },
    ],
    ['a success resets the count', { state: 'closed', failures: 2, lastFailureAt: 19_000 }, OK, false, CLOSED],
    [
      'a 429 says nothing: the count stays',
      { state: 'closed', failures: 2, lastFailureAt: 19_000 },
      NEUTRAL,
      false,
      { state: 'closed', failures: 2, lastFailureAt: 19_000 },
    ],
    ['a probe that succeeds closes it', halfOpen(30_000), OK, true, CLOSED],
    ['a probe answered 429 found it up: closed', halfOpen(30_000), NEUTRAL, true, CLOSED],
    ['a probe that learned nothing (its client left, our own dead socket) frees its slot at once', halfOpen(30_000, 4_000), UNKNOWN, true, open(20_000, 4_000)],
    [
      'nothing learned outside a probe changes nothing',
      { state: 'closed', failures: 2, lastFailureAt: 19_000 },
      UNKNOWN,
      false,
      { state: 'closed', failures: 2, lastFailureAt: 19_000 },
    ],
    [
      'a probe that fails opens it twice as long',
      halfOpen(30_000, 2_000),
      FAIL,
      true,
      { state: 'open', until: 24_000, openMs: 4_000, reason: '503 Service Unavailable' },
    ],
    ['never longer than maxOpenMs', halfOpen(30_000, 8_000), FAIL, true, { state: 'open', until: 30_000, openMs: 10_000, reason: '503 Service Unavailable' }],
    ['a straggler failing while a probe runs changes nothing', halfOpen(30_000), FAIL, false, halfOpen(30_000)],
    ['a failure while open changes nothing', open(2_000), FAIL, false, open(2_000)],
  ])('%s', (_name, breaker, outcome, probe, expected) => {
    expect(record(breaker, outcome, probe, 20_000, POLICY)).toEqual(expected);
  });
});

describe('a provider down for good, then back', () => {
  it('costs one probe per open period, periods doubling to the cap, and closes on the first success', () => {
    let breaker: Breaker = CLOSED;
    let now = 0;
    const probes: number[] = [];
    for (let i = 0; i < 3; i += 1) breaker = record(breaker, FAIL, false, now, POLICY);
    for (; now <= 40_000; now += 100) {
      const { admission, breaker: next } = admit(breaker, now, POLICY);
      breaker = next;
      if (admission.kind === 'probe') {
        probes.push(now);
        breaker = record(breaker, now < 30_000 ? FAIL : OK, true, now, POLICY);
      }
    }
    expect(probes).toEqual([2_000, 6_000, 14_000, 24_000, 34_000]);
    expect(breaker).toEqual(CLOSED);
  });
});
