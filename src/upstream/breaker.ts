/**
 * Pure: a circuit breaker for one provider. After `failureThreshold` transient failures in a row
 * (5xx, timeouts, unreachable), each within `failureWindowMs` of the one before, it opens: no request reaches the provider until the open period
 * ends; then exactly one request at a time goes as a probe. A probe that succeeds closes the
 * breaker; one that fails opens it again for twice as long, up to `maxOpenMs`; one that learns
 * nothing (its client left, our own dead socket) frees its slot at once. A probe that never
 * reports back frees its slot after `probeTimeoutMs`. Time is passed in; nothing here does I/O.
 */

export interface BreakerPolicy {
  readonly failureThreshold: number;
  /** Failures further apart than this do not add up (sporadic failures never open it). */
  readonly failureWindowMs: number;
  readonly openMs: number;
  readonly maxOpenMs: number;
  readonly probeTimeoutMs: number;
}

/** maxOpenMs 8 s: a provider that recovers just after a failed probe is probed, and used, again within 10 s. */
export const DEFAULT_BREAKER: BreakerPolicy = { failureThreshold: 3, failureWindowMs: 10_000, openMs: 2_000, maxOpenMs: 8_000, probeTimeoutMs: 30_000 };

export type Breaker =
  | { readonly state: 'closed'; readonly failures: number; readonly lastFailureAt: number }
  | { readonly state: 'open'; readonly until: number; readonly openMs: number; readonly reason: string }
  /** The open period is over and one probe is in flight until probeUntil. */
  | { readonly state: 'half-open'; readonly probeUntil: number; readonly openMs: number; readonly reason: string };

export const CLOSED: Breaker = { state: 'closed', failures: 0, lastFailureAt: 0 };

/** What one attempt's result says about the provider's health. */
export type HealthOutcome =
  | { readonly kind: 'success' } // it answered (any 2xx, or a final 4xx: it is up)
  | { readonly kind: 'failure'; readonly reason: string } // a transient failure: 5xx, timeout, unreachable, empty
  | { readonly kind: 'neutral' } // it answered, but not as a healthy provider does (429: up but busy)
  | { readonly kind: 'unknown' }; // nothing learned (the client went away; our own dead socket; a stale connection's page)

export type Admission =
  | { readonly kind: 'pass' }
  /** The breaker just let this request through as its one probe: report its outcome. */
  | { readonly kind: 'probe' }
  /** `probing`: a probe is in flight (half-open), whose outcome may come long before retryInMs. */
  | { readonly kind: 'reject'; readonly retryInMs: number; readonly reason: string; readonly probing: boolean };

export interface Admitted {
  readonly admission: Admission;
  readonly breaker: Breaker;
}

export function admit(breaker: Breaker, now: number, policy: BreakerPolicy): Admitted {
  switch (breaker.state) {
    case 'closed':
      return { admission: { kind: 'pass' }, breaker };
    case 'open':
      if (now < breaker.until) return { admission: { kind: 'reject', retryInMs: breaker.until - now, reason: breaker.reason, probing: false }, breaker };
      return probing(breaker, now, policy);
    case 'half-open':
      if (now < breaker.probeUntil) {
        // The probe's answer is awaited; a client comes back after the shorter of the open period and the probe's time left.
        return { admission: { kind: 'reject', retryInMs: Math.min(breaker.openMs, breaker.probeUntil - now), reason: breaker.reason, probing: true }, breaker };
      }
      return probing(breaker, now, policy); // the probe never reported back
  }
}

function probing(breaker: Extract<Breaker, { state: 'open' | 'half-open' }>, now: number, policy: BreakerPolicy): Admitted {
  return {
    admission: { kind: 'probe' },
    breaker: { state: 'half-open', probeUntil: now + policy.probeTimeoutMs, openMs: breaker.openMs, reason: breaker.reason },
  };
}

export function record(breaker: Breaker, outcome: HealthOutcome, probe: boolean, now: number, policy: BreakerPolicy): Breaker {
  switch (outcome.kind) {
    case 'success':
      return CLOSED;
    case 'neutral':
      // A probe that got any answer found the provider up; otherwise nothing changes.
      return probe && breaker.state === 'half-open' ? CLOSED : breaker;
    case 'unknown':
      // A probe that learned nothing frees its slot: the next attempt probes again at once.
      return probe && breaker.state === 'half-open' ? { state: 'open', until: now, openMs: breaker.openMs, reason: breaker.reason } : breaker;
    case 'failure':
      switch (breaker.state) {
        case 'closed': {
          const failures = now - breaker.lastFailureAt > policy.failureWindowMs ? 1 : breaker.failures + 1;
          if (failures < policy.failureThreshold) return { state: 'closed', failures, lastFailureAt: now };
          return { state: 'open', until: now + policy.openMs, openMs: policy.openMs, reason: outcome.reason };
        }
        case 'half-open': {
          if (!probe) return breaker; // a straggler admitted before the breaker opened
          const openMs = Math.min(policy.maxOpenMs, breaker.openMs * 2);
          return { state: 'open', until: now + openMs, openMs, reason: outcome.reason };
        }
        case 'open':
          return breaker;
      }
  }
}
