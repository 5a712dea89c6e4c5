/**
 * The attempt loop: one fresh fetch per attempt, all attempts of a request sharing one budget
 * (count and time), the retry policy deciding between them, and the client's going away
 * cancelling whatever is in flight. Nothing has reached the client while this runs, which is
 * what makes every retry here safe.
 */
import { attempt, type AttemptRequest, type AttemptTimeouts, type Fetcher, type UpstreamResponse } from './attempt';
import type { AttemptFailure, FailureKind } from './outcome';
import type { BodyCaps } from './body';
import type { Target } from './target';
import { classifyFailure, decideRetry, type FailureClass, type RetryLimits, type StopReason } from './retry-policy';

export interface AttemptRecord {
  readonly target: string;
  readonly outcome: 'ok' | FailureKind | 'cancelled';
  readonly status: number | null;
  readonly ms: number;
}

export type AttemptsResult<T extends Target = Target> =
  | { readonly kind: 'ok'; readonly response: UpstreamResponse; readonly target: T; readonly attempts: readonly AttemptRecord[] }
  | {
      readonly kind: 'failed';
      readonly failure: AttemptFailure;
      readonly stop: StopReason;
      readonly target: T;
      readonly attempts: readonly AttemptRecord[];
    }
  | { readonly kind: 'cancelled'; readonly attempts: readonly AttemptRecord[] };

export interface AttemptPlan<T extends Target> {
  readonly targets: readonly [T, ...T[]];
  /** The request for one target (its URL, auth and, where routed, model). */
  readonly requestFor: (target: T) => AttemptRequest;
  readonly limits: RetryLimits;
  readonly timeouts: AttemptTimeouts;
  readonly caps: BodyCaps;
}

export interface AttemptDeps {
  readonly fetcher: Fetcher;
  readonly random: () => number;
}

const defaultDeps: AttemptDeps = { fetcher: (input, init) => fetch(input, init), random: Math.random };

/** Waits ms, or less if the signal aborts first. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    function finish(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    }
    signal.addEventListener('abort', finish);
  });
}

export async function runAttempts<T extends Target>(plan: AttemptPlan<T>, client: AbortSignal, deps: AttemptDeps = defaultDeps): Promise<AttemptsResult<T>> {
  const started = Date.now();
  const records: AttemptRecord[] = [];
  const failuresByClass = new Map<FailureClass, number>();
  let targetIndex = 0;
  for (;;) {
    const target = plan.targets[targetIndex] ?? plan.targets[0];
    const attemptStarted = Date.now();
    const outcome = await attempt(plan.requestFor(target), plan.timeouts, plan.caps, client, deps.fetcher);
    const ms = Date.now() - attemptStarted;
    switch (outcome.kind) {
      case 'cancelled':
        records.push({ target: target.name, outcome: 'cancelled', status: null, ms });
        return { kind: 'cancelled', attempts: records };
      case 'ok':
        records.push({ target: target.name, outcome: 'ok', status: outcome.response.status, ms });
        return { kind: 'ok', response: outcome.response, target, attempts: records };
      case 'failed': {
        const { failure } = outcome;
        records.push({ target: target.name, outcome: failure.kind, status: failure.kind === 'status' ? failure.status : null, ms });
        const failureClass = classifyFailure(failure);
        const sameClassFailures = (failuresByClass.get(failureClass) ?? 0) + 1;
        failuresByClass.set(failureClass, sameClassFailures);
        const decision = decideRetry(
          failure,
          { attempts: records.length, elapsedMs: Date.now() - started, targetIndex, targetCount: plan.targets.length, sameClassFailures },
          plan.limits,
          deps.random(),
        );
        if (decision.kind === 'stop') return { kind: 'failed', failure, stop: decision.reason, target, attempts: records };
        await pause(decision.delayMs, client);
        if (client.aborted) return { kind: 'cancelled', attempts: records };
        targetIndex = decision.targetIndex;
      }
    }
  }
}
