import { describe, expect, it } from 'vitest';
import type { AttemptOutcome } from '../../../src/upstream/attempt';
import { FailureCounts, STALE_IN_A_ROW, STALE_PER_REQUEST, STALE_WITHIN_MS } from '../../../src/upstream/failure-counts';

const lost: AttemptOutcome = { kind: 'failed', failure: { kind: 'transport', message: 'Network connection lost.', phase: 'headers' } };
const answered503: AttemptOutcome = {
  kind: 'failed',
  failure: { kind: 'status', status: 503, error: { message: 'down', type: null, code: null, param: null, shape: 'json' }, retryAfterMs: null },
};
/** A load balancer's HTML 400 on a connection it forgot. */
const page: AttemptOutcome = {
  kind: 'failed',
  failure: { kind: 'status', status: 400, error: { message: null, type: null, code: null, param: null, shape: 'other' }, retryAfterMs: null },
};
const timedOut: AttemptOutcome = { kind: 'failed', failure: { kind: 'timeout', afterMs: 100, phase: 'headers' } };

/** A connection lost while the answer's body was read: the provider answered. */
const cut: AttemptOutcome = { kind: 'failed', failure: { kind: 'transport', message: 'Network connection lost.', phase: 'body' } };
const FAST_MS = 3;

/** One attempt: the target (its index in the route) and what it got; compact to keep each row on a line. */
type Step = `${0 | 1}:${'lost' | 'slow' | 'cut' | '503' | 'page' | 'timeout'}`;
/** What each step got, and how long it took ('slow': a loss before any response, but not at once). */
const OUTCOMES = {
  lost: [lost, FAST_MS],
  slow: [lost, STALE_WITHIN_MS + 1],
  cut: [cut, FAST_MS],
  '503': [answered503, FAST_MS],
  page: [page, FAST_MS],
  timeout: [timedOut, 100],
} as const;
const parse = (step: Step): [number, AttemptOutcome, number] => {
  const [target, name] = step.split(':') as [string, keyof typeof OUTCOMES];
  const [outcome, ms] = OUTCOMES[name];
  return [Number(target), outcome, ms];
};

const run = (steps: readonly Step[]): boolean[] => {
  const counts = new FailureCounts();
  return steps.map((step) => counts.record(...parse(step)).ownConnection);
};
const times = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);

describe('FailureCounts: which failures were our own stale connections', () => {
  // name, the attempts, whether each was our own connection
  it.each<[string, Step[], boolean[]]>([
    ['a loss before any answer is ours', ['0:lost', '0:503'], [true, false]],
    [
      'a loss after the provider answered is ours again (stale during the backoff)',
      ['0:lost', '0:503', '0:lost', '0:503', '0:lost'],
      [true, false, true, false, true],
    ],
    ['a load balancer’s page after an answer is ours too', ['0:page', '0:503', '0:page', '0:503', '0:page'], [true, false, true, false, true]],
    ['a timeout is no answer: the run goes on', ['0:lost', '0:timeout', '0:lost'], [true, false, true]],
    ['each target has its own pooled connections', ['0:lost', '1:lost', '0:503', '1:page'], [true, true, false, true]],
    ['a loss that took more than a round trip is the provider’s, and no answer', ['0:slow', '0:lost'], [false, true]],
    ['a loss while the body was read is the provider’s, and an answer: the run starts again', ['0:lost', '0:cut', '0:lost'], [true, false, true]],
  ])('%s', (_name, steps, own) => {
    expect(run(steps)).toEqual(own);
  });

  it(`several dead connections in a row (one per request in flight before a quiet spell) are ours, up to ${STALE_IN_A_ROW}`, () => {
    const steps: Step[] = [...times<Step>(STALE_IN_A_ROW - 1, '0:lost'), '0:page', '0:lost', '0:page'];
    expect(run(steps)).toEqual([...times(STALE_IN_A_ROW, true), false, false]);
  });

  it(`and at most ${STALE_PER_REQUEST} in one request (a provider that answers between runs of dead connections gets no more)`, () => {
    const round: Step[] = [...times<Step>(STALE_IN_A_ROW, '0:lost'), '0:503'];
    const own = run([...round, ...round, ...round]).filter(Boolean);
    expect(own).toHaveLength(STALE_PER_REQUEST);
  });

  it('an answer starts the run again', () => {
    const steps: Step[] = [...times<Step>(STALE_IN_A_ROW, '0:lost'), '0:503', '0:lost'];
    expect(run(steps).slice(-2)).toEqual([false, true]);
  });

  it('names the class; an answer or a cancellation is no failure', () => {
    const counts = new FailureCounts();
    expect(counts.record(0, answered503, FAST_MS)).toEqual({ failureClass: 'transient', ownConnection: false });
    expect(counts.record(0, lost, FAST_MS)).toEqual({ failureClass: 'reconnect', ownConnection: true });
    expect(counts.record(0, page, FAST_MS)).toEqual({ failureClass: 'suspect', ownConnection: true });
    expect(counts.record(0, { kind: 'cancelled' }, FAST_MS)).toEqual({ failureClass: null, ownConnection: false });
  });
});
