/**
 * The Durable Object that makes provider health shared beyond one isolate: one instance per
 * provider (named by its health key) runs the same breaker (breaker.ts) over the failures every
 * isolate reports, and grants the one probe of a half-open breaker to one isolate at a time.
 * Isolates call it only off the happy path: after a failure, and when their own breaker would
 * probe. Its breaker is kept in the object's storage as well as in memory, written only when it
 * changes: an object evicted while idle (under Miniflare, one idle for 12 s had been: less than
 * the breaker's longest open period, the gap between two probes) must not come back closed, for
 * the isolates adopt its verdict and would send the failing provider a fresh run of requests.
 */
import { DurableObject } from 'cloudflare:workers';
import { admit, CLOSED, record, type Admission, type Breaker, type BreakerPolicy, type HealthOutcome } from './breaker';

export interface SharedVerdict {
  readonly admission: Admission;
  readonly breaker: Breaker;
}

const STORAGE_KEY = 'breaker';

export class ProviderHealthObject extends DurableObject {
  /** undefined until read from storage (after the object was created or evicted). */
  #breaker: Breaker | undefined;

  /** An isolate's breaker would let a probe through: is it this isolate's turn? */
  probe(policy: BreakerPolicy): SharedVerdict {
    const admitted = admit(this.#current(), Date.now(), policy);
    const breaker = this.#keep(admitted.breaker);
    // A breaker this object holds closed lets the isolate probe as it wished.
    return { admission: admitted.admission.kind === 'pass' ? { kind: 'probe' } : admitted.admission, breaker };
  }

  /** What one attempt showed; returns the shared breaker for the isolate to adopt. */
  report(outcome: HealthOutcome, probe: boolean, policy: BreakerPolicy): Breaker {
    return this.#keep(record(this.#current(), outcome, probe, Date.now(), policy));
  }

  /** The shared breaker as it stands (the operator view); changes nothing. */
  current(): Breaker {
    return this.#current();
  }

  #current(): Breaker {
    this.#breaker ??= this.ctx.storage.kv.get<Breaker>(STORAGE_KEY) ?? CLOSED;
    return this.#breaker;
  }

  #keep(next: Breaker): Breaker {
    if (next !== this.#breaker) {
      this.#breaker = next;
      this.ctx.storage.kv.put(STORAGE_KEY, next);
    }
    return next;
  }
}
