import { describe, expect, it } from 'vitest';
import type { AttemptOutcome } from '../../../src/upstream/attempt';
import { FailureCounts } from '../../../src/upstream/failure-counts';

const lost: AttemptOutcome = { kind: 'failed', failure: { kind: 'transport', message: 'Network connection lost.' } };
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

/** One attempt: the target (its index in the route) and what it got; compact to keep each row on a line. */
type Step = `${0 | 1}:${'lost' | '503' | 'page' | 'timeout'}`;
const OUTCOMES = { lost, '503': answered503, page, timeout: timedOut } as const;
const parse = (step: Step): [number, AttemptOutcome] => {
  const [target, outcome] = step.split(':') as [string, keyof typeof OUTCOMES];
  return [Number(target), OUTCOMES[outcome]];
};

describe('FailureCounts: which failures were our own stale connection', () => {
  // name, the attempts, whether each was our own connection, how many count towards the allowance
  it.each<[string, Step[], boolean[], number]>([
    ['a first loss is ours; the next in a row are the provider’s', ['0:lost', '0:lost', '0:lost'], [true, false, false], 2],
    [
      'a loss after the provider answered is ours again (stale during the backoff)',
      ['0:lost', '0:503', '0:lost', '0:503', '0:lost'],
      [true, false, true, false, true],
      2,
    ],
    ['a timeout is no answer: the loss after it is the provider’s', ['0:lost', '0:timeout', '0:lost'], [true, false, false], 2],
    ['each target has its own pooled connections', ['0:lost', '0:lost', '1:lost', '1:lost'], [true, false, true, false], 2],
    ['a load balancer’s page after an answer is ours too', ['0:page', '0:503', '0:page', '0:503', '0:page'], [true, false, true, false, true], 2],
    ['one symptom per answer is ours, whichever it is: a page after our lost connection counts', ['0:lost', '0:page', '0:lost'], [true, false, false], 2],
  ])('%s', (_name, steps, ownConnections, counted) => {
    const counts = new FailureCounts();
    expect(steps.map((step) => counts.record(...parse(step)).ownConnection)).toEqual(ownConnections);
    expect(counts.counted(steps.length)).toBe(counted);
  });

  it('counts failures by class; lost connections and pages by their run on a target', () => {
    const counts = new FailureCounts();
    const steps: Step[] = ['0:503', '0:lost', '0:lost', '0:page', '0:page', '0:503', '0:page'];
    expect(steps.map((step) => counts.record(...parse(step)))).toEqual([
      { failureClass: 'transient', sameClass: 1, ownConnection: false },
      { failureClass: 'reconnect', sameClass: 1, ownConnection: true },
      { failureClass: 'reconnect', sameClass: 2, ownConnection: false },
      { failureClass: 'suspect', sameClass: 1, ownConnection: false },
      { failureClass: 'suspect', sameClass: 2, ownConnection: false },
      { failureClass: 'transient', sameClass: 2, ownConnection: false },
      { failureClass: 'suspect', sameClass: 1, ownConnection: true },
    ]);
    expect(counts.record(0, { kind: 'cancelled' })).toEqual({ failureClass: null, sameClass: 0, ownConnection: false });
  });
});
