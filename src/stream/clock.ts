/**
 * A relay's sense of time: when the client last got data, when the upstream last sent
 * data, and one timer for the next deadline (a heartbeat, the idle cap), not one per read.
 * Deadlines move later as data flows, so the timer may fire early; it is then re-armed. A
 * deadline of its own (limit) may be earlier than the timer: the timer is then set anew.
 */
const TIMED_OUT = Symbol('timed out');

/** What came first: the read, or a deadline. */
export type Raced<T> = { readonly kind: 'read'; readonly result: T } | { readonly kind: 'heartbeat' } | { readonly kind: 'idle' };

export class RelayClock {
  readonly #heartbeatMs: number;
  readonly #idleMs: number;
  readonly #now: () => number;
  #lastData: number;
  #lastSent: number;
  /** A deadline of its own (a bounded drain): heartbeats and the idle cap no longer apply. */
  #until: number | null = null;
  #tick: Promise<typeof TIMED_OUT> | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** Settles the tick at once (a race waiting on it checks its deadlines again). */
  #fire: (() => void) | null = null;

  constructor(heartbeatMs: number, idleMs: number, now: () => number) {
    this.#heartbeatMs = heartbeatMs;
    this.#idleMs = idleMs;
    this.#now = now;
    this.#lastData = now();
    this.#lastSent = now();
  }

  /** The client was sent data (not comments alone: Codex's idle timer ignores them, so they put no heartbeat off). */
  sent(): void {
    this.#lastSent = this.#now();
  }

  /** The upstream sent data (comments do not count). */
  fed(): void {
    this.#lastData = this.#now();
  }

  /**
   * The read, or a heartbeat when the client has got no data for heartbeatMs (counted as sent),
   * or the idle cap when the upstream has sent no data for idleMs. A read that fails throws.
   */
  async race<T>(read: Promise<T>): Promise<Raced<T>> {
    for (;;) {
      const result = await Promise.race([read, this.#next()]);
      if (result !== TIMED_OUT) return { kind: 'read', result };
      const at = this.#now();
      if (this.#until !== null) {
        if (at >= this.#until) return { kind: 'idle' };
      } else if (at - this.#lastData >= this.#idleMs) return { kind: 'idle' };
      else if (at - this.#lastSent >= this.#heartbeatMs) {
        this.#lastSent = at;
        return { kind: 'heartbeat' };
      }
    }
  }

  /** From now on, races end only with their read or at the deadline (`idle`) ms from now. */
  limit(ms: number): void {
    this.#until = this.#now() + ms;
    this.#disarm(); // the timer set may be for a later heartbeat
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
  }

  #disarm(): void {
    this.stop();
    this.#timer = null;
    this.#fire?.();
  }

  #next(): Promise<typeof TIMED_OUT> {
    if (this.#tick !== null) return this.#tick;
    const deadline = this.#until ?? Math.min(this.#lastSent + this.#heartbeatMs, this.#lastData + this.#idleMs);
    this.#tick = new Promise((resolve) => {
      this.#fire = () => {
        this.#tick = null;
        this.#fire = null;
        resolve(TIMED_OUT);
      };
      this.#timer = setTimeout(this.#fire, Math.max(0, deadline - this.#now()));
    });
    return this.#tick;
  }
}
