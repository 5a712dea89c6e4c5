/**
 * One request's failed attempts, counted as the retry policy and provider health read them: how
 * many of each class, and which were our own stale connection. workerd hands a request a pooled
 * connection that the provider may have dropped while it sat idle (FIELD-NOTES §3), and it does
 * so again after every wait longer than the provider's idle cutoff, a retry's backoff included;
 * the drop shows as a lost connection, or as a load balancer's page (an HTML 400/404). So the
 * first such symptom on a target that has answered since its last one (or has not been asked
 * yet) is our own stale connection: it is tried again at once, is not one of the request's
 * attempts and teaches nothing about the provider. The next one in a row is the provider's.
 */
import type { AttemptOutcome } from './attempt';
import { classifyFailure, type FailureClass } from './retry-policy';

/** An attempt as counted: an answer or a cancellation is no failure (class null, 0 of it). */
export interface Counted {
  readonly failureClass: FailureClass | null;
  /**
   * Failures of this class so far, this one included; for a lost connection or a load
   * balancer's page, those in a row on this target (since the provider last answered there).
   */
  readonly sameClass: number;
  /** Whether this failure was our own stale connection, not the provider's doing. */
  readonly ownConnection: boolean;
}

/** What a target showed since the provider last answered there. */
interface Run {
  /** Lost connections and load balancers' pages, together: only the first is ours. */
  symptoms: number;
  lost: number;
  pages: number;
}

const NO_FAILURE: Counted = { failureClass: null, sameClass: 0, ownConnection: false };

export class FailureCounts {
  readonly #byClass = new Map<FailureClass, number>();
  /** Per target, by its index in the route. */
  readonly #runs = new Map<number, Run>();
  #ownConnections = 0;

  record(targetIndex: number, outcome: AttemptOutcome): Counted {
    if (outcome.kind !== 'failed') return NO_FAILURE;
    const failureClass = classifyFailure(outcome.failure);
    if (failureClass === 'reconnect' || failureClass === 'suspect') {
      const run = this.#runs.get(targetIndex) ?? { symptoms: 0, lost: 0, pages: 0 };
      this.#runs.set(targetIndex, run);
      run.symptoms += 1;
      const sameClass = failureClass === 'reconnect' ? ++run.lost : ++run.pages;
      const ownConnection = run.symptoms === 1;
      if (ownConnection) this.#ownConnections += 1;
      return { failureClass, sameClass, ownConnection };
    }
    // Any answer of the provider's own ends the run; a timeout is none (its connection is not pooled again).
    if (outcome.failure.kind !== 'timeout') this.#runs.delete(targetIndex);
    const sameClass = (this.#byClass.get(failureClass) ?? 0) + 1;
    this.#byClass.set(failureClass, sameClass);
    return { failureClass, sameClass, ownConnection: false };
  }

  /** Of `made` attempts, those that count towards the request's allowance: all but our own stale connections. */
  counted(made: number): number {
    return made - this.#ownConnections;
  }
}
