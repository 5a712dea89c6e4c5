/**
 * The isolate's memory of key lookups: key hash → what D1 said. A known key (the key, its team
 * and routes) is trusted for KEY_CACHE_TTL_MS, so a revocation, a disabled team or a changed
 * route reaches every isolate within that time, and at once the isolate that served the admin
 * call (which clears its memory). "Unknown" is trusted for min(UNKNOWN_KEY_WINDOW_MS,
 * KEY_CACHE_TTL_MS) and kept apart, with its own bound, so that a flood of made-up keys costs D1
 * one lookup per key per window and never pushes a known key out. Concurrent lookups of one key
 * share one D1 round trip; a failed lookup is not remembered. Bounded: the oldest entries go first.
 */

/** How long an isolate remembers that a key is unknown (at most; never longer than KEY_CACHE_TTL_MS). */
export const UNKNOWN_KEY_WINDOW_MS = 10_000;

interface Entry<V> {
  readonly value: Promise<V>;
  readonly expiresAt: number;
}

export class TtlCache<V> {
  readonly #entries = new Map<string, Entry<V>>();

  constructor(private readonly maxEntries: number) {}

  /** The value remembered for key (settled or still loading), while it is fresh. */
  peek(key: string, now: number): Promise<V> | undefined {
    const cached = this.#entries.get(key);
    if (cached === undefined) return undefined;
    if (cached.expiresAt > now) return cached.value;
    this.#entries.delete(key);
    return undefined;
  }

  /**
   * The cached value for key, or load()'s, remembered for ttlMs (0: always load, nothing served
   * from memory); a loaded value for which keep() says false is forgotten once it settles.
   */
  get(key: string, ttlMs: number, now: number, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    if (ttlMs <= 0) return load();
    const cached = this.peek(key, now);
    if (cached !== undefined) return cached;
    const value = load();
    const entry = { value, expiresAt: now + ttlMs };
    this.#entries.set(key, entry);
    const forget = (): void => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    };
    value.then((settled) => {
      if (!keep(settled)) forget();
    }, forget);
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    return value;
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** Known keys and unknown keys, each remembered for its own time and within its own bound (see the module comment). */
export class KeyLookups<V> {
  readonly #known: TtlCache<V>;
  /** Lookups in flight, and those that found no key. */
  readonly #unknown: TtlCache<V | null>;
  /** Counts clear()s: a lookup that started before one is not remembered after it. */
  #generation = 0;

  constructor(maxKnown: number, maxUnknown: number) {
    this.#known = new TtlCache(maxKnown);
    this.#unknown = new TtlCache(maxUnknown);
  }

  /** What D1 says about hash (null: no such key), from memory when it is fresh enough; keyCacheMs 0: always asks. */
  async find(hash: string, keyCacheMs: number, now: number, load: () => Promise<V | null>): Promise<V | null> {
    if (keyCacheMs <= 0) return load(); // nothing served from memory, not even what an earlier request left there
    const known = this.#known.peek(hash, now);
    if (known !== undefined) return known;
    const unknownMs = Math.min(UNKNOWN_KEY_WINDOW_MS, keyCacheMs);
    const generation = this.#generation;
    const found = await this.#unknown.get(hash, unknownMs, now, load, (value) => value === null);
    if (found === null || generation !== this.#generation) return found;
    return this.#known.get(hash, keyCacheMs, now, () => Promise.resolve(found));
  }

  clear(): void {
    this.#generation += 1;
    this.#known.clear();
    this.#unknown.clear();
  }

  get sizes(): { readonly known: number; readonly unknown: number } {
    return { known: this.#known.size, unknown: this.#unknown.size };
  }
}
