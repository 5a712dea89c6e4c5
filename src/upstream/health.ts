/**
 * The seam through which the attempt loop asks whether a provider may be tried and reports
 * what each attempt showed, so that what one request learns protects every other: a breaker
 * (breaker.ts) and a retry budget (retry-budget.ts) per provider. `IsolateHealth` keeps them in
 * this isolate at no cost on the happy path; http/health.ts adds a Durable Object so that
 * isolates agree on an open breaker and on a single probe.
 */
import { admit, CLOSED, record, DEFAULT_BREAKER, type Admission, type Breaker, type BreakerPolicy, type HealthOutcome } from './breaker';
import type { AttemptOutcome } from './attempt';
import { RetryBudget, DEFAULT_BUDGET, type BudgetPolicy } from './retry-budget';
import { classifyFailure } from './retry-policy';

export type { Admission, HealthOutcome };

/** May this attempt go? A retry also needs the provider's retry budget. */
export type Gate = Admission | { readonly kind: 'no-budget' };

/**
 * Which attempt of a request asks: its first; a retry (charged to the provider's retry budget);
 * or the reconnect at once after our own dead pooled socket (failure-counts.ts), which is not
 * the provider's doing and is never charged (a spent budget must not surface it).
 */
export type AttemptKind = 'first' | 'retry' | 'reconnect';

export interface ProviderHealth {
  /** Before an attempt to the provider `key`. */
  admit(key: string, kind: AttemptKind): Promise<Gate>;
  /**
   * After the attempt: what it showed; `probe`: it was let through as the breaker's probe.
   * Settles (never rejects) once what the report taught is known here: at once in one isolate,
   * after the shared state's verdict has been adopted with it. A retry waits for it.
   */
  report(key: string, outcome: HealthOutcome, probe: boolean): Promise<void>;
  /**
   * Calls `listener` once, when the provider's breaker next changes state here (a probe's
   * outcome, a verdict adopted from the shared state), so that a request waiting for a probe goes,
   * or is told, at once; returns what stops listening. The listener runs in the request that
   * changed it: it should only settle something of the waiting request's own.
   */
  onChange(key: string, listener: () => void): () => void;
}

/**
 * What an attempt says about its provider. Nothing is learned from a client that went away, our
 * own stale connection (failure-counts.ts) or a load balancer's page: `unknown`.
 */
export function healthOutcome(outcome: AttemptOutcome, ownConnection: boolean): HealthOutcome {
  switch (outcome.kind) {
    case 'ok':
      return { kind: 'success' };
    case 'cancelled':
      return { kind: 'unknown' };
    case 'failed': {
      const { failure } = outcome;
      const failureClass = classifyFailure(failure);
      switch (failureClass) {
        case 'final':
          return failure.kind === 'status' ? { kind: 'success' } : { kind: 'neutral' };
        case 'suspect':
          return { kind: 'unknown' };
        case 'reconnect':
          if (ownConnection) return { kind: 'unknown' };
          return { kind: 'failure', reason: failure.kind === 'transport' && failure.phase === 'body' ? 'cut its answers short' : 'could not be reached' };
        case 'transient':
          if (failure.kind === 'status') return failure.status === 429 ? { kind: 'neutral' } : { kind: 'failure', reason: `answered ${failure.status}` };
          return { kind: 'failure', reason: failure.kind === 'timeout' ? 'timed out' : 'answered with an empty body' };
      }
    }
  }
}

interface Entry {
  breaker: Breaker;
  readonly budget: RetryBudget;
  /** Requests waiting for the breaker's next change of state; called and cleared when it changes. */
  readonly listeners: Set<() => void>;
}

/** Providers remembered per isolate; the oldest is forgotten past this (a closed breaker loses nothing). */
const MAX_PROVIDERS = 1_000;

/** Breakers and budgets of one isolate, shared by all its requests. */
export class IsolateHealth implements ProviderHealth {
  readonly #entries = new Map<string, Entry>();
  readonly #breaker: BreakerPolicy;
  readonly #budget: BudgetPolicy;
  readonly #now: () => number;

  constructor(breaker: BreakerPolicy = DEFAULT_BREAKER, budget: BudgetPolicy = DEFAULT_BUDGET, now: () => number = Date.now) {
    this.#breaker = breaker;
    this.#budget = budget;
    this.#now = now;
  }

  admit(key: string, kind: AttemptKind): Promise<Gate> {
    return Promise.resolve(this.gate(key, kind));
  }

  gate(key: string, kind: AttemptKind): Gate {
    const entry = this.#entry(key);
    const now = this.#now();
    const admitted = admit(entry.breaker, now, this.#breaker);
    entry.breaker = admitted.breaker;
    const { admission } = admitted;
    if (admission.kind === 'pass') {
      if (kind === 'first') entry.budget.first(now);
      else if (kind === 'retry' && !entry.budget.tryRetry(now)) return { kind: 'no-budget' };
    }
    return admission;
  }

  report(key: string, outcome: HealthOutcome, probe: boolean): Promise<void> {
    const entry = this.#entry(key);
    this.#set(entry, record(entry.breaker, outcome, probe, this.#now(), this.#breaker));
    return Promise.resolve();
  }

  onChange(key: string, listener: () => void): () => void {
    const { listeners } = this.#entry(key);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** What this isolate believes of a provider (for /healthz and the operator view). */
  breaker(key: string): Breaker {
    return this.#entries.get(key)?.breaker ?? CLOSED;
  }

  /** The provider's retry budget in this isolate's current window: retries taken and allowed. */
  budget(key: string): { readonly used: number; readonly allowed: number } {
    const entry = this.#entries.get(key);
    const now = this.#now();
    return entry === undefined
      ? { used: 0, allowed: new RetryBudget(this.#budget).allowed(now) }
      : { used: entry.budget.used(now), allowed: entry.budget.allowed(now) };
  }

  /**
   * Adopts the shared breaker (http/health.ts). One half-open elsewhere is another isolate's
   * probe in flight: kept here as open and already due, so that the next request asks the shared
   * state again (and goes as soon as that probe has succeeded) instead of being turned away
   * until that probe's timeout, whose outcome this isolate would never hear of.
   */
  adopt(key: string, breaker: Breaker): void {
    this.#set(
      this.#entry(key),
      breaker.state === 'half-open' ? { state: 'open', until: this.#now(), openMs: breaker.openMs, reason: breaker.reason } : breaker,
    );
  }

  #set(entry: Entry, breaker: Breaker): void {
    const before = entry.breaker.state;
    entry.breaker = breaker;
    if (breaker.state === before || entry.listeners.size === 0) return;
    const listeners = [...entry.listeners];
    entry.listeners.clear();
    for (const listener of listeners) listener();
  }

  #entry(key: string): Entry {
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      if (this.#entries.size >= MAX_PROVIDERS) {
        const oldest = this.#entries.keys().next();
        if (oldest.done !== true) this.#entries.delete(oldest.value);
      }
      entry = { breaker: CLOSED, budget: new RetryBudget(this.#budget), listeners: new Set() };
      this.#entries.set(key, entry);
    }
    return entry;
  }
}
