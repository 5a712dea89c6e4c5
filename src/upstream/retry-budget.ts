/**
 * A retry budget for one provider (as Envoy's and Finagle's): across all requests of the last
 * `windowMs`, retries stay within `ratio` of first attempts, with a floor of `minRetries` in the
 * window (Finagle: 10 a second) so a
 * quiet gateway can still retry. Counts live in one-second buckets, so memory is fixed. Time is
 * passed in.
 */

export interface BudgetPolicy {
  readonly ratio: number;
  readonly minRetries: number;
  readonly windowMs: number;
}

export const DEFAULT_BUDGET: BudgetPolicy = { ratio: 0.2, minRetries: 100, windowMs: 10_000 };

const BUCKET_MS = 1_000;

export class RetryBudget {
  readonly #policy: BudgetPolicy;
  readonly #firsts: number[];
  readonly #retries: number[];
  /** The bucket index (time / BUCKET_MS) of the newest bucket written. */
  #head = 0;

  constructor(policy: BudgetPolicy = DEFAULT_BUDGET) {
    this.#policy = policy;
    const buckets = Math.max(1, Math.ceil(policy.windowMs / BUCKET_MS));
    this.#firsts = new Array<number>(buckets).fill(0);
    this.#retries = new Array<number>(buckets).fill(0);
  }

  /** A request's first attempt: it earns the budget its share of retries. */
  first(now: number): void {
    const slot = this.#advance(now);
    this.#firsts[slot] = (this.#firsts[slot] ?? 0) + 1;
  }

  /** Takes one retry from the budget; false (nothing taken) when the window has none left. */
  tryRetry(now: number): boolean {
    const slot = this.#advance(now);
    if (this.#sum(this.#retries) >= this.allowed(now)) return false;
    this.#retries[slot] = (this.#retries[slot] ?? 0) + 1;
    return true;
  }

  /** Retries the current window allows in all. */
  allowed(now: number): number {
    this.#advance(now);
    return Math.max(this.#policy.minRetries, Math.floor(this.#sum(this.#firsts) * this.#policy.ratio));
  }

  /** Retries taken in the current window. */
  used(now: number): number {
    this.#advance(now);
    return this.#sum(this.#retries);
  }

  /** Moves the window to now, clearing buckets that fell out of it; returns now's bucket. */
  #advance(now: number): number {
    const index = Math.floor(now / BUCKET_MS);
    const size = this.#firsts.length;
    if (index - this.#head >= size) {
      this.#firsts.fill(0);
      this.#retries.fill(0);
    } else {
      for (let i = this.#head + 1; i <= index; i += 1) {
        this.#firsts[i % size] = 0;
        this.#retries[i % size] = 0;
      }
    }
    if (index > this.#head) this.#head = index;
    return this.#head % size;
  }

  #sum(buckets: readonly number[]): number {
    let total = 0;
    for (const count of buckets) total += count;
    return total;
  }
}
