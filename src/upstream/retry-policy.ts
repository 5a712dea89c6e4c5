/**
 * Pure: after a failed attempt, retry (when, and against which target) or stop (why).
 *
 * - a lost connection is retried on the same target at once when it was our own stale
 *   connection (failure-counts.ts); otherwise the provider is unreachable: the next target of
 *   the route at once, or (a single target, or a wrap-around) after a backoff;
 * - a 400/404 whose body is not the provider's JSON (a load balancer's answer on a stale
 *   connection) is retried at once while it is our own stale connection, and is final after;
 * - timeouts, empty streams, 408, 429 (but insufficient_quota), 500, 502-504, 520-524 and 529 move
 *   on to the next target of the route at once, or, once every target had its turn, wait the
 *   upstream's hint or a jittered exponential backoff;
 * - redirects (never followed), bodies over a cap or in an encoding the gateway cannot read, and
 *   everything else are final.
 * Every retry must fit the attempt count and, unless it moves at once to a target not yet
 * tried, the time budget; a hint longer than maxRetryAfterMs is handed to the client instead
 * of waited out (another target may still be tried at once).
 */
import type { AttemptFailure } from './outcome';

export interface RetryLimits {
  readonly maxAttempts: number;
  readonly budgetMs: number;
  readonly maxRetryAfterMs: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
}

export interface RetryState {
  /** Attempts made so far, the failed one included (1 after the first attempt); our own stale connections are not attempts. */
  readonly attempts: number;
  /** Time since the first attempt started. */
  readonly elapsedMs: number;
  readonly targetIndex: number;
  readonly targetCount: number;
  /** This failure was our own stale connection (failure-counts.ts): tried again at once, whatever the time budget. */
  readonly ownConnection: boolean;
  /** Attempts so far answered 429 (the failed one included). */
  readonly rateLimited: number;
}

/** rate-limited: a second 429 in one request goes to the client, whose own retries would multiply the gateway's. */
export type StopReason = 'final' | 'attempts' | 'budget' | 'wait-too-long' | 'retry-budget' | 'rate-limited';

export type RetryDecision =
  { readonly kind: 'retry'; readonly delayMs: number; readonly targetIndex: number } | { readonly kind: 'stop'; readonly reason: StopReason };

/** How a failure is treated, before limits are applied. */
export type FailureClass = 'reconnect' | 'suspect' | 'transient' | 'final';

/** 529: overloaded (Anthropic's API, and proxies in front of others). */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524, 529]);
const FINAL_CODES: ReadonlySet<string> = new Set(['insufficient_quota']);

export function classifyFailure(failure: AttemptFailure): FailureClass {
  switch (failure.kind) {
    case 'transport':
      return 'reconnect';
    case 'timeout':
    case 'empty':
      return 'transient';
    case 'redirect':
    case 'oversized':
    case 'undecodable':
      return 'final';
    case 'status': {
      // Some providers name a spent quota in the type only.
      if ([failure.error.code, failure.error.type].some((name) => name !== null && FINAL_CODES.has(name))) return 'final';
      if (TRANSIENT_STATUSES.has(failure.status)) return 'transient';
      if ((failure.status === 400 || failure.status === 404) && failure.error.shape === 'other') return 'suspect';
      return 'final';
    }
  }
}

/**
 * What a request has left of its limits after `attempts` attempts over `elapsedMs`: for the run
 * that sends a call again once its adapter learned from a refusal. That run always has one
 * attempt (it is a request the provider has not seen), and never a fresh allowance.
 */
export function remainingLimits(limits: RetryLimits, attempts: number, elapsedMs: number): RetryLimits {
  return { ...limits, maxAttempts: Math.max(1, limits.maxAttempts - attempts), budgetMs: Math.max(0, limits.budgetMs - elapsedMs) };
}

/** Equal-jitter exponential backoff for the n-th retry (n >= 1); random in [0, 1). */
export function backoffMs(retry: number, limits: RetryLimits, random: number): number {
  const ceiling = Math.min(limits.backoffMaxMs, limits.backoffBaseMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

export function decideRetry(failure: AttemptFailure, state: RetryState, limits: RetryLimits, random: number): RetryDecision {
  const failureClass = classifyFailure(failure);
  const plan = retryPlan(failure, failureClass, state, limits, random);
  if (plan.kind === 'stop') return plan;
  if (state.attempts >= limits.maxAttempts) return { kind: 'stop', reason: 'attempts' };
  // Moving at once to a provider not yet tried costs no waiting: only the attempt count bounds it,
  // so a provider that hung for the whole headers timeout still falls over to the next one. Nor
  // does the reconnect after our own stale socket (a fallback's pooled connection, say).
  const atOnce = plan.delayMs === 0 && (plan.targetIndex > state.targetIndex || state.ownConnection);
  if (!atOnce && state.elapsedMs + plan.delayMs >= limits.budgetMs) return { kind: 'stop', reason: 'budget' };
  return plan;
}

function retryPlan(failure: AttemptFailure, failureClass: FailureClass, state: RetryState, limits: RetryLimits, random: number): RetryDecision {
  const same = state.targetIndex;
  const next = (state.targetIndex + 1) % Math.max(1, state.targetCount);
  switch (failureClass) {
    case 'final':
      return { kind: 'stop', reason: 'final' };
    case 'suspect':
      return state.ownConnection ? { kind: 'retry', delayMs: 0, targetIndex: same } : { kind: 'stop', reason: 'final' };
    case 'reconnect': {
      if (state.ownConnection) return { kind: 'retry', delayMs: 0, targetIndex: same };
      if (next > same) return { kind: 'retry', delayMs: 0, targetIndex: next };
      return { kind: 'retry', delayMs: backoffMs(state.attempts, limits, random), targetIndex: next };
    }
    case 'transient': {
      const hint = failure.kind === 'status' ? failure.retryAfterMs : null;
      if (hint !== null && hint > limits.maxRetryAfterMs) {
        // Another provider may be asked at once; a round that comes back would have to wait too long.
        return next > same ? { kind: 'retry', delayMs: 0, targetIndex: next } : { kind: 'stop', reason: 'wait-too-long' };
      }
      // A target not yet tried in this round is tried at once; a round that wraps around waits.
      if (next > same) return { kind: 'retry', delayMs: 0, targetIndex: next };
      // One 429 is waited out (a blip stays invisible); a provider that keeps limiting is the client's to wait for.
      if (failure.kind === 'status' && failure.status === 429 && state.rateLimited > 1) return { kind: 'stop', reason: 'rate-limited' };
      // A hint is honoured, but never below the backoff: a zero hint must not turn retries into a burst.
      return { kind: 'retry', delayMs: Math.max(hint ?? 0, backoffMs(state.attempts, limits, random)), targetIndex: next };
    }
  }
}
