/**
 * Pure: the arithmetic of request limits. A scope (a team, or one of its keys) may have a limit
 * on requests per minute, kept as a sliding window of the times it admitted requests (a request
 * counts for 60 s after it was admitted), and a limit on requests in flight at once, counted by
 * whoever holds the leases. `decideLimits` looks at every scope of a request at once: it is
 * admitted only if every scope has room, and when it does not, the answer names the limit that
 * binds longest and how long until it frees a slot. Time is passed in; nothing here does I/O.
 */

/** The limits of one scope; null: none. */
export interface RequestLimits {
  /** Requests admitted per sliding minute. */
  readonly rpm: number | null;
  /** Requests in flight at once (a stream counts until it ends). */
  readonly maxStreams: number | null;
}

export const NO_LIMITS: RequestLimits = { rpm: null, maxStreams: null };

export function hasLimits(limits: RequestLimits): boolean {
  return limits.rpm !== null || limits.maxStreams !== null;
}

/** Whose limit: the team's, or the key's own. */
export type LimitScope = 'team' | 'key';
export type LimitKind = 'rpm' | 'max_streams';

/** The span of the requests-per-minute window. */
export const RATE_WINDOW_MS = 60_000;
/** What a client over its concurrency limit is told to wait: a stream's end cannot be foreseen. */
export const CONCURRENCY_RETRY_MS = 1_000;

/** A limit a request ran into. */
export interface LimitHit {
  readonly scope: LimitScope;
  readonly limit: LimitKind;
  /** The limit's value. */
  readonly max: number;
  /** Until the limit frees a slot. */
  readonly retryInMs: number;
}

/** The times admitted requests entered the window, oldest first; those older than the span drop out. */
export class SlidingWindow {
  #times: number[] = [];
  #head = 0;

  constructor(private readonly spanMs: number = RATE_WINDOW_MS) {}

  /** How long until one more request fits under `limit`; 0: it fits now. */
  waitMs(now: number, limit: number): number {
    this.#expire(now);
    const count = this.#times.length - this.#head;
    if (count < limit) return 0;
    // The request that must leave for one more to fit: the (count - limit + 1)-th oldest.
    const leaving = this.#times[this.#head + count - limit] ?? now;
    return Math.max(1, leaving + this.spanMs - now);
  }

  record(now: number): void {
    this.#times.push(now);
  }

  /** No request in the window: the window can be forgotten. */
  idle(now: number): boolean {
    this.#expire(now);
    return this.#head === this.#times.length;
  }

  #expire(now: number): void {
    while (this.#head < this.#times.length && (this.#times[this.#head] ?? now) + this.spanMs <= now) this.#head += 1;
    if (this.#head > 0 && this.#head * 2 >= this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
  }
}

/** What one scope's state says now. */
export interface ScopeCheck {
  readonly scope: LimitScope;
  readonly limits: RequestLimits;
  /** Until the scope's rate window has room (0: now; ignored without an rpm limit). */
  readonly rateWaitMs: number;
  /** Its requests in flight now. */
  readonly inFlight: number;
}

/** null: every scope has room. Otherwise the limit that binds longest (the first such, on a tie). */
export function decideLimits(checks: readonly ScopeCheck[]): LimitHit | null {
  let hit: LimitHit | null = null;
  const consider = (candidate: LimitHit): void => {
    if (hit === null || candidate.retryInMs > hit.retryInMs) hit = candidate;
  };
  for (const { scope, limits, rateWaitMs, inFlight } of checks) {
    if (limits.rpm !== null && rateWaitMs > 0) consider({ scope, limit: 'rpm', max: limits.rpm, retryInMs: rateWaitMs });
    if (limits.maxStreams !== null && inFlight >= limits.maxStreams)
      consider({ scope, limit: 'max_streams', max: limits.maxStreams, retryInMs: CONCURRENCY_RETRY_MS });
  }
  return hit;
}
