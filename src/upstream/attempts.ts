/**
 * The attempt loop: one fresh fetch per attempt, all attempts of a request sharing one budget
 * (count and time), the retry policy deciding between them, and the client's going away
 * cancelling whatever is in flight. Before each attempt the provider's health is asked (an open
 * breaker, an empty retry budget: another target of the route, or stop); after it, the outcome
 * is reported (and a retry waits, bounded, until what it taught is known), so one request's
 * failures spare the provider from every other's. Nothing has reached the client while this
 * runs, which is what makes every retry here safe.
 */
import { attempt, type AttemptRequest, type AttemptTimeouts, type Fetcher, type UpstreamResponse } from './attempt';
import type { Tries } from './failure-error';
import type { AttemptFailure, FailureKind } from './outcome';
import type { BodyCaps } from './body';
import { FailureCounts } from './failure-counts';
import { healthOutcome, type AttemptKind, type Gate, type ProviderHealth } from './health';
import type { Target } from './target';
import { decideRetry, type RetryLimits, type StopReason } from './retry-policy';

/**
 * One upstream fetch of a request. `stale`: it found the gateway's own dead pooled connection (a
 * loss, or a load balancer's page, with its status), and was no attempt of the request's.
 */
export interface AttemptRecord {
  readonly target: string;
  readonly outcome: 'ok' | FailureKind | 'stale' | 'cancelled';
  readonly status: number | null;
  readonly ms: number;
}

/** Of a request's fetches, its attempts: all but those that found our own stale connection. */
export function countedAttempts(records: readonly AttemptRecord[]): number {
  return records.filter((record) => record.outcome !== 'stale').length;
}

/** A request's fetches as its messages count them. */
export function triesOf(records: readonly AttemptRecord[]): Tries {
  const attempts = countedAttempts(records);
  return { attempts, reconnects: records.length - attempts };
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
  /** The provider's breaker is open (no attempt went, or no more could): wait retryInMs. */
  | {
      readonly kind: 'refused';
      readonly retryInMs: number;
      readonly reason: string;
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
  readonly health: ProviderHealth;
}

export interface AttemptDeps {
  readonly fetcher: Fetcher;
  readonly random: () => number;
}

/** The longest a retry waits, past its own backoff, for the shared state's verdict on the failure before it. */
const REPORT_WAIT_MAX_MS = 1_000;

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

/** Waits for work to settle, at most ms (or until the signal aborts). */
async function settledWithin(work: Promise<void>, ms: number, signal: AbortSignal): Promise<void> {
  const settled = new AbortController();
  await Promise.race([work, pause(ms, AbortSignal.any([signal, settled.signal]))]);
  settled.abort();
}

export async function runAttempts<T extends Target>(plan: AttemptPlan<T>, client: AbortSignal, deps: AttemptDeps = defaultDeps): Promise<AttemptsResult<T>> {
  const started = Date.now();
  const records: AttemptRecord[] = [];
  const failures = new FailureCounts();
  /** Targets the health gate turned away in this request, and why. */
  const refused = new Map<number, Exclude<Gate, { kind: 'pass' | 'probe' }>>();
  let last: { readonly failure: AttemptFailure; readonly target: T } | null = null;
  /**
   * A request meets its provider's probe at most once, waiting for the outcome of one in flight or
   * being one: a short outage stays invisible, a long one is told at once, and a failing provider
   * gets at most one probe per client request (a request whose own probe failed waiting for the
   * next would double it). Before that it may wait once for an open breaker's probe to be due.
   */
  let metProbe = false;
  let waitedForOpen = false;
  let targetIndex = 0;
  let next: AttemptKind = 'first';
  for (;;) {
    const target = plan.targets[targetIndex] ?? plan.targets[0];
    const gate = await plan.health.admit(target.healthKey, next);
    if (
      gate.kind === 'reject' &&
      !metProbe &&
      !(waitedForOpen && !gate.probing) &&
      plan.targets.length === 1 &&
      mayWait(gate.retryInMs, Date.now() - started, countedAttempts(records), plan.limits)
    ) {
      if (gate.probing) metProbe = true;
      else waitedForOpen = true;
      await pauseForProbe(gate.retryInMs, client, plan.health, target.healthKey);
      if (client.aborted) return { kind: 'cancelled', attempts: records };
      continue;
    }
    if (gate.kind === 'reject' || gate.kind === 'no-budget') {
      refused.set(targetIndex, gate);
      const other = plan.targets.findIndex((_, index) => !refused.has(index));
      if (other !== -1) {
        targetIndex = other;
        continue;
      }
      return refusal(refused, last, target, records);
    }
    if (gate.kind === 'probe') metProbe = true;
    const attemptStarted = Date.now();
    const outcome = await attempt(plan.requestFor(target), plan.timeouts, plan.caps, client, deps.fetcher);
    const ms = Date.now() - attemptStarted;
    const counted = failures.record(targetIndex, outcome, ms);
    const reported = plan.health.report(target.healthKey, healthOutcome(outcome, counted.ownConnection), gate.kind === 'probe');
    switch (outcome.kind) {
      case 'cancelled':
        records.push({ target: target.name, outcome: 'cancelled', status: null, ms });
        return { kind: 'cancelled', attempts: records };
      case 'ok':
        records.push({ target: target.name, outcome: 'ok', status: outcome.response.status, ms });
        return { kind: 'ok', response: outcome.response, target, attempts: records };
      case 'failed': {
        const { failure } = outcome;
        last = { failure, target };
        records.push({
          target: target.name,
          outcome: counted.ownConnection ? 'stale' : failure.kind,
          status: failure.kind === 'status' ? failure.status : null,
          ms,
        });
        const decision = decideRetry(
          failure,
          {
            attempts: countedAttempts(records),
            elapsedMs: Date.now() - started,
            targetIndex,
            targetCount: plan.targets.length,
            ownConnection: counted.ownConnection,
            rateLimited: records.filter((record) => record.status === 429).length,
          },
          plan.limits,
          deps.random(),
        );
        if (decision.kind === 'stop') return { kind: 'failed', failure, stop: decision.reason, target, attempts: records };
        // The retry goes knowing what this failure taught the shared state (another isolate may have opened the breaker).
        await Promise.all([pause(decision.delayMs, client), settledWithin(reported, REPORT_WAIT_MAX_MS, client)]);
        if (client.aborted) return { kind: 'cancelled', attempts: records };
        next = counted.ownConnection ? 'reconnect' : 'retry';
        targetIndex = decision.targetIndex;
      }
    }
  }
}

/**
 * Waits until the breaker may let a probe through, or less if a probe in flight settles it first
 * (or the client goes away). The change is heard through a promise of this request's own, which
 * the request that settles the breaker only resolves: workerd runs the continuation here, whereas
 * it cancels those of a promise whose creating request has ended (so one promise shared by all
 * waiters woke none of the later ones).
 */
async function pauseForProbe(ms: number, client: AbortSignal, health: ProviderHealth, key: string): Promise<void> {
  const settled = new AbortController();
  let stop = (): void => undefined;
  void new Promise<void>((resolve) => {
    stop = health.onChange(key, resolve);
  }).then(() => settled.abort());
  await pause(ms, AbortSignal.any([client, settled.signal]));
  stop();
}

/** Whether waiting for the breaker's next probe fits the request's own limits. */
function mayWait(retryInMs: number, elapsedMs: number, attempts: number, limits: RetryLimits): boolean {
  return attempts < limits.maxAttempts && retryInMs <= limits.maxRetryAfterMs && elapsedMs + retryInMs < limits.budgetMs;
}

/**
 * Every target was turned away. An open breaker is told as such (wait until it may close); a
 * spent retry budget ends the request on its last failure, as if its attempts had run out.
 */
function refusal<T extends Target>(
  refused: ReadonlyMap<number, Exclude<Gate, { kind: 'pass' | 'probe' }>>,
  last: { readonly failure: AttemptFailure; readonly target: T } | null,
  target: T,
  attempts: readonly AttemptRecord[],
): AttemptsResult<T> {
  let open: Extract<Gate, { kind: 'reject' }> | null = null;
  for (const gate of refused.values()) {
    if (gate.kind === 'reject' && (open === null || gate.retryInMs < open.retryInMs)) open = gate;
  }
  if (open !== null) return { kind: 'refused', retryInMs: open.retryInMs, reason: open.reason, target, attempts };
  if (last !== null) return { kind: 'failed', failure: last.failure, stop: 'retry-budget', target: last.target, attempts };
  // A first attempt never needs the budget; kept total for the type.
  return { kind: 'refused', retryInMs: 1_000, reason: 'its retry budget is spent', target, attempts };
}
