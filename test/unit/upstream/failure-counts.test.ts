import { describe, expect, it } from 'vitest';
import type { AttemptOutcome } from '../../../src/upstream/attempt';
import { FailureCounts } from '../../../src/upstream/failure-counts';

const lost: AttemptOutcome = { kind: 'failed', failure: { kind: 'transport', message: 'Network connection lost.' } };
const answered503: AttemptOutcome = {
  kind: 'failed',
  failure: { kind: 'status', status: 503, error: { message: 'down', type: null, code: null, param: null, shape: 'json' }, retryAfterMs: null },
};
const timedOut: AttemptOutcome = { kind: 'failed', failure: { kind: 'timeout', afterMs: 100, phase: 'headers' } };

type Step = readonly [target: number, outcome: AttemptOutcome];

describe('FailureCounts: which lost connections were our own stale sockets', () => {
  // name, attempts (target, outcome), whether each was our own socket, attempts that count
  it.each<[string, Step[], boolean[], number]>([
    [
      'a first loss is ours; a second in a row is the provider’s',
      [
        [0, lost],
        [0, lost],
        [0, lost],
      ],
      [true, false, false],
      2,
    ],
    [
      'a loss after the provider answered is ours again (its socket went stale during the backoff)',
      [
        [0, lost],
        [0, answered503],
        [0, lost],
        [0, answered503],
        [0, lost],
      ],
      [true, false, true, false, true],
      2,
    ],
    [
      'a timeout is no answer: the loss after it is the provider’s',
      [
        [0, lost],
        [0, timedOut],
        [0, lost],
      ],
      [true, false, false],
      2,
    ],
    [
      'each target has its own pooled sockets',
      [
        [0, lost],
        [0, lost],
        [1, lost],
        [1, lost],
      ],
      [true, false, true, false],
      2,
    ],
  ])('%s', (_name, steps, ownSockets, counted) => {
    const counts = new FailureCounts();
    expect(steps.map(([target, outcome]) => counts.record(target, outcome).ownSocket)).toEqual(ownSockets);
    expect(counts.counted(steps.length)).toBe(counted);
  });

  it('counts failures by class, lost connections by their run on a target', () => {
    const counts = new FailureCounts();
    const steps: Step[] = [
      [0, answered503],
      [0, lost],
      [0, lost],
      [0, answered503],
    ];
    expect(steps.map(([target, outcome]) => counts.record(target, outcome))).toEqual([
      { failureClass: 'transient', sameClass: 1, ownSocket: false },
      { failureClass: 'reconnect', sameClass: 1, ownSocket: true },
      { failureClass: 'reconnect', sameClass: 2, ownSocket: false },
      { failureClass: 'transient', sameClass: 2, ownSocket: false },
    ]);
    expect(counts.record(0, { kind: 'cancelled' })).toEqual({ failureClass: null, sameClass: 0, ownSocket: false });
  });
});
