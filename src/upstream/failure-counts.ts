/**
 * One request's failed attempts, counted as the retry policy and provider health read them: how
 * many of each class, and which were our own stale connection. workerd hands a request a pooled
 * connection that the provider may have dropped while it sat idle (FIELD-NOTES §3), and it does
 * so again after every wait longer than the provider's idle cutoff, a retry's backoff included;
 * the drop shows at once (STALE_WITHIN_MS), before any response: a lost connection, or a load
 * balancer's page (an HTML 400/404). workerd
 * keeps a connection for each request that was in flight at once, so after a quiet spell several
 * may be dead, and each fetch takes the next. So a run of such symptoms on a target since the
 * provider last answered there (or before it was first asked) is our own stale connections, up
 * to STALE_IN_A_ROW (and STALE_PER_REQUEST in all): each is tried again at once, is not one of
 * the request's attempts and teaches nothing about the provider. Past that, they are the
 * provider's (a refused connection looks the same as a dead one; a wrong base path answers
 * pages on fresh connections too).
 */
import type { AttemptOutcome } from './attempt';
import { classifyFailure, type FailureClass } from './retry-policy';

/** An attempt as counted: an answer or a cancellation is no failure (class null). */
export interface Counted {
  readonly failureClass: FailureClass | null;
  /** Whether this failure was our own stale connection, not the provider's doing. */
  readonly ownConnection: boolean;
}

/** The most stale connections in a row taken for ours: one per request in flight at once, before a quiet spell. */
export const STALE_IN_A_ROW = 8;
/** And in all, in one request: it makes at most this many fetches beyond its attempts. */
export const STALE_PER_REQUEST = 2 * STALE_IN_A_ROW;
/** A dead connection fails within a round trip; one that took longer was the provider's doing. */
export const STALE_WITHIN_MS = 1_000;

const NO_FAILURE: Counted = { failureClass: null, ownConnection: false };

export class FailureCounts {
  /** Per target (by its index in the route): lost connections and load balancers' pages since the provider last answered there. */
  readonly #staleInARow = new Map<number, number>();
  #ownConnections = 0;

  /** Counts one attempt's outcome on a target, which took `ms`. */
  record(targetIndex: number, outcome: AttemptOutcome, ms: number): Counted {
    if (outcome.kind !== 'failed') return NO_FAILURE;
    const { failure } = outcome;
    const failureClass = classifyFailure(failure);
    const beforeAnyResponse = failure.kind !== 'transport' || failure.phase === 'headers';
    if ((failureClass === 'reconnect' || failureClass === 'suspect') && beforeAnyResponse && ms <= STALE_WITHIN_MS) {
      const run = (this.#staleInARow.get(targetIndex) ?? 0) + 1;
      this.#staleInARow.set(targetIndex, run);
      const ownConnection = run <= STALE_IN_A_ROW && this.#ownConnections < STALE_PER_REQUEST;
      if (ownConnection) this.#ownConnections += 1;
      return { failureClass, ownConnection };
    }
    // The provider answered (a status, a body, a connection lost while its body was read): the run ends.
    // A timeout, or a connection lost slowly before any response, says nothing of the pool: it goes on.
    const answered = failure.kind === 'transport' ? failure.phase === 'body' : failure.kind !== 'timeout';
    if (answered) this.#staleInARow.delete(targetIndex);
    return { failureClass, ownConnection: false };
  }
}
