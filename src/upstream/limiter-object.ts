/**
 * The Durable Object that holds a team's request limits beyond one isolate: one instance per
 * team (named by its id) sees every request of the team that has a limit, its own and its keys'
 * (each a scope of the same object, so one round trip checks both). `acquire` admits a request
 * or names the limit it ran into; a request admitted under a concurrency limit holds a lease
 * until `release` (when its response or stream ends), renewed (`renew`) while the request runs.
 * Leases are stored (the object's SQLite), so an object evicted while long streams run still
 * counts them; a lease neither renewed nor released (its isolate died) expires LEASE_MS after it
 * was taken or last renewed. The rate windows are memory only: an object is evicted only after a
 * quiet spell longer than a window, so only a restart loses one.
 */
import { DurableObject } from 'cloudflare:workers';
import { decideLimits, SlidingWindow, type LimitHit, type LimitScope, type RequestLimits } from './limiter';

/** The longest a lease is held without a release or a renewal. */
export const LEASE_MS = 15 * 60_000;

export interface ScopeRequest {
  readonly scope: LimitScope;
  /** The scope's name within the team's object: "team", or the key's id. */
  readonly id: string;
  readonly limits: RequestLimits;
}

export type LimitVerdict =
  /** lease: to renew within every leaseMs while the request runs, and to release when it is over; null when no scope limits concurrency. */
  { readonly kind: 'admitted'; readonly lease: string | null; readonly leaseMs: number } | { readonly kind: 'limited'; readonly hit: LimitHit };

/** Windows kept past this many are swept for idle ones. */
const SWEEP_ABOVE = 1_000;

export class TeamLimiterObject extends DurableObject<unknown> {
  readonly #windows = new Map<string, SlidingWindow>();

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    this.ctx.storage.sql.exec(
      'CREATE TABLE IF NOT EXISTS leases (lease TEXT NOT NULL, scope TEXT NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (lease, scope))',
    );
  }

  /** Admits one request under every scope's limits, or names the one that binds longest; an admitted request is counted at once. */
  acquire(scopes: readonly ScopeRequest[]): LimitVerdict {
    const now = Date.now();
    const sql = this.ctx.storage.sql;
    sql.exec('DELETE FROM leases WHERE expires_at <= ?', now);
    const checks = scopes.map(({ scope, id, limits }) => ({
      scope,
      limits,
      rateWaitMs: limits.rpm === null ? 0 : this.#window(id).waitMs(now, limits.rpm),
      inFlight: limits.maxStreams === null ? 0 : this.#inFlight(id),
    }));
    const hit = decideLimits(checks);
    if (hit !== null) return { kind: 'limited', hit };
    let lease: string | null = null;
    for (const { id, limits } of scopes) {
      if (limits.rpm !== null) this.#window(id).record(now);
      if (limits.maxStreams !== null) {
        lease ??= crypto.randomUUID();
        sql.exec('INSERT INTO leases (lease, scope, expires_at) VALUES (?, ?, ?)', lease, id, now + LEASE_MS);
      }
    }
    this.#sweep(now);
    return { kind: 'admitted', lease, leaseMs: LEASE_MS };
  }

  /** The request that holds this lease still runs: the lease holds LEASE_MS from now. A lease already released (or expired and gone) stays gone. */
  renew(lease: string): void {
    this.ctx.storage.sql.exec('UPDATE leases SET expires_at = ? WHERE lease = ?', Date.now() + LEASE_MS, lease);
  }

  /** The request that held this lease is over. Releasing twice, or an unknown lease, does nothing. */
  release(lease: string): void {
    this.ctx.storage.sql.exec('DELETE FROM leases WHERE lease = ?', lease);
  }

  #inFlight(id: string): number {
    const row = this.ctx.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM leases WHERE scope = ?', id).one();
    return row.n;
  }

  #window(id: string): SlidingWindow {
    let window = this.#windows.get(id);
    if (window === undefined) {
      window = new SlidingWindow();
      this.#windows.set(id, window);
    }
    return window;
  }

  /** Forgets the windows of scopes that sent nothing for a minute (keys come and go). */
  #sweep(now: number): void {
    if (this.#windows.size <= SWEEP_ABOVE) return;
    for (const [id, window] of this.#windows) if (window.idle(now)) this.#windows.delete(id);
  }
}
