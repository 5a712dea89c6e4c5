/**
 * One request's failed attempts, counted as the retry policy and provider health read them: how
 * many of each class, and which lost connections were our own. workerd hands a request a pooled
 * connection that the provider may have dropped while it sat idle (FIELD-NOTES §3), and it does
 * so again after every wait longer than the provider's idle cutoff, a retry's backoff included.
 * So a connection lost on a target that has answered since (or had not yet been asked) is our own
 * stale socket: it is tried again at once, is not one of the request's attempts and teaches
 * nothing about the provider. A second loss in a row on one target is the provider's.
 */
import type { AttemptOutcome } from './attempt';
import { classifyFailure, type FailureClass } from './retry-policy';

/** An attempt as counted: an answer or a cancellation is no failure (class null, 0 of it). */
export interface Counted {
  readonly failureClass: FailureClass | null;
  /** Failures of this class so far, this one included; for a lost connection, its run on this target. */
  readonly sameClass: number;
  /** Whether this failure was our own stale socket, not the provider's doing. */
  readonly ownSocket: boolean;
}

export class FailureCounts {
  readonly #byClass = new Map<FailureClass, number>();
  /** Lost connections on each target (by its index in the route) since it last answered. */
  readonly #lostInARow = new Map<number, number>();
  #ownSockets = 0;

  record(targetIndex: number, outcome: AttemptOutcome): Counted {
    if (outcome.kind !== 'failed') return { failureClass: null, sameClass: 0, ownSocket: false };
    const { failure } = outcome;
    const failureClass = classifyFailure(failure);
    if (failureClass === 'reconnect') {
      const sameClass = (this.#lostInARow.get(targetIndex) ?? 0) + 1;
      this.#lostInARow.set(targetIndex, sameClass);
      const ownSocket = sameClass === 1;
      if (ownSocket) this.#ownSockets += 1;
      return { failureClass, sameClass, ownSocket };
    }
    // Only an answer shows the provider reachable; a timed-out attempt's connection is not pooled again.
    if (failure.kind !== 'timeout') this.#lostInARow.delete(targetIndex);
    const sameClass = (this.#byClass.get(failureClass) ?? 0) + 1;
    this.#byClass.set(failureClass, sameClass);
    return { failureClass, sameClass, ownSocket: false };
  }

  /** Of `made` attempts, those that count towards the request's allowance: all but our own stale sockets. */
  counted(made: number): number {
    return made - this.#ownSockets;
  }
}
