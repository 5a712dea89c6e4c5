/**
 * One request's failed attempts, counted as the retry policy and provider health read them: how
 * many of each class, and which were our own stale connection. workerd hands a request a pooled
 * connection that the provider may have dropped while it sat idle (FIELD-NOTES §3), and it does
 * so again after every wait longer than the provider's idle cutoff, a retry's backoff included;
 * the drop shows as a lost connection, or as a load balancer's page (an HTML 400/404). workerd
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

const NO_FAILURE: Counted = { failureClass: null, ownConnection: false };

export class FailureCounts {
  /** Per target (by its index in the route): lost connections and load balancers' pages since the provider last answered there. */
  readonly #staleInARow = new Map<number, number>();
  #ownConnections = 0;

  record(targetIndex: number, outcome: AttemptOutcome): Counted {
    if (outcome.kind !== 'failed') return NO_FAILURE;
    const failureClass = classifyFailure(outcome.failure);
    if (failureClass === 'reconnect' || failureClass === 'suspect') {
      const run = (this.#staleInARow.get(targetIndex) ?? 0) + 1;
      this.#staleInARow.set(targetIndex, run);
      const ownConnection = run <= STALE_IN_A_ROW && this.#ownConnections < STALE_PER_REQUEST;
      if (ownConnection) this.#ownConnections += 1;
      return { failureClass, ownConnection };
    }
    // Any answer of the provider's own ends the run; a timeout is none (its connection is not pooled again).
    if (outcome.failure.kind !== 'timeout') this.#staleInARow.delete(targetIndex);
    return { failureClass, ownConnection: false };
  }

  /** Of `made` attempts, those that count towards the request's allowance: all but our own stale connections. */
  counted(made: number): number {
    return made - this.#ownConnections;
  }
}
