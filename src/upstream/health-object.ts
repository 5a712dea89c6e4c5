/**
 * The Durable Object that makes provider health shared beyond one isolate: one instance per
 * provider (named by its health key) runs the same breaker (breaker.ts) over the failures every
 * isolate reports, and grants the one probe of a half-open breaker to one isolate at a time.
 * Isolates call it only off the happy path: after a failure, and when their own breaker would
 * probe. Its state is memory only: an evicted object starts closed, which costs at most a few
 * failed requests to learn again.
 */
import { DurableObject } from 'cloudflare:workers';
import { admit, CLOSED, record, type Admission, type Breaker, type BreakerPolicy, type HealthOutcome } from './breaker';

export interface SharedVerdict {
  readonly admission: Admission;
  readonly breaker: Breaker;
}

export class ProviderHealthObject extends DurableObject {
  #breaker: Breaker = CLOSED;

  /** An isolate's breaker would let a probe through: is it this isolate's turn? */
  probe(policy: BreakerPolicy): SharedVerdict {
    const admitted = admit(this.#breaker, Date.now(), policy);
    this.#breaker = admitted.breaker;
    // A breaker this object holds closed lets the isolate probe as it wished.
    return { admission: admitted.admission.kind === 'pass' ? { kind: 'probe' } : admitted.admission, breaker: this.#breaker };
  }

  /** What one attempt showed; returns the shared breaker for the isolate to adopt. */
  report(outcome: HealthOutcome, probe: boolean, policy: BreakerPolicy): Breaker {
    this.#breaker = record(this.#breaker, outcome, probe, Date.now(), policy);
    return this.#breaker;
  }
}
