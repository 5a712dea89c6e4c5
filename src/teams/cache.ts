/**
 * The isolate's memory of key lookups: key hash → what D1 said (the key, its team and routes, or
 * "unknown"), trusted for KEY_CACHE_TTL_MS. A revocation, a disabled team or a changed route thus
 * reaches every isolate within that time, and at once the isolate that served the admin call
 * (which clears its cache). Concurrent lookups of one key share one D1 round trip; a failed
 * lookup is not remembered. Bounded: the oldest entries go first.
 */

interface Entry<V> {
  readonly value: Promise<V>;
  readonly expiresAt: number;
}

export class TtlCache<V> {
  readonly #entries = new Map<string, Entry<V>>();

  constructor(private readonly maxEntries: number) {}

  /** The cached value for key, or load()'s, remembered for ttlMs (0: always load, nothing served from memory). */
  get(key: string, ttlMs: number, now: number, load: () => Promise<V>): Promise<V> {
    if (ttlMs <= 0) return load();
    const cached = this.#entries.get(key);
    if (cached !== undefined && cached.expiresAt > now) return cached.value;
    if (cached !== undefined) this.#entries.delete(key);
    const value = load();
    const entry = { value, expiresAt: now + ttlMs };
    this.#entries.set(key, entry);
    value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
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
