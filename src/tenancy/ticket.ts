/**
 * A relayed request between its admission and its end, as its tenant sees it: admitted under
 * the tenant's limits (or refused, naming the limit), then ended exactly once with how it went,
 * when it is over: at once for an answer sent whole, when the stream ends for a stream (the
 * client's going away included). A tenant frees what the request held and keeps its books there.
 */
import type { GatewayError } from '../core/errors';
import type { TokenUsage } from '../stream/usage';
import type { AttemptRecord } from '../upstream/attempts';
import type { LimitHit } from '../upstream/limiter';

/** How a relayed request went. */
export interface RequestOutcome {
  /** When the request arrived (ms since the epoch). */
  readonly startedAt: number;
  readonly attempts: readonly AttemptRecord[];
  /** The client saw a failure: an error answer, or a stream that ended in one. */
  readonly failed: boolean;
  /** The tokens the provider reported, if it did. */
  readonly usage: TokenUsage | null;
}

export interface Ticket {
  /** The request is over; a second call does nothing. */
  end(outcome: RequestOutcome): void;
}

export type Admission =
  | { readonly kind: 'admitted'; readonly ticket: Ticket }
  /** Over a limit: `error` is the 429 to answer, `hit` the limit it names. */
  | { readonly kind: 'limited'; readonly error: GatewayError; readonly hit: LimitHit };

/** Runs work that may outlive the response (waitUntil). */
export type Background = (work: Promise<unknown>) => void;

/** A ticket whose end runs `onEnd` once. */
export function ticket(onEnd: (outcome: RequestOutcome) => void): Ticket {
  let ended = false;
  return {
    end(outcome) {
      if (ended) return;
      ended = true;
      onEnd(outcome);
    },
  };
}

/**
 * Runs `renew` in the background every `everyMs`, at most `forMs / everyMs` times, until the
 * returned stop is called: keeps what a request holds (a concurrency lease) from expiring while
 * the request runs. A failed renewal is left to the next one.
 */
export function renewWhileRunning(
  renew: () => Promise<unknown>,
  timing: { readonly everyMs: number; readonly forMs: number },
  background: Background,
): () => void {
  // A period that is no number (a version skew sending no lease term) renews nothing: never a tight loop.
  if (!Number.isFinite(timing.everyMs) || timing.everyMs <= 0) return () => undefined;
  let left = Math.floor(timing.forMs / timing.everyMs);
  if (left <= 0) return () => undefined;
  const timer = setInterval(() => {
    left -= 1;
    if (left === 0) clearInterval(timer);
    background(renew().catch(() => undefined));
  }, timing.everyMs);
  return () => {
    clearInterval(timer);
  };
}

/** An admission that holds nothing and keeps no books. */
export const FREE_ADMISSION: Admission = { kind: 'admitted', ticket: { end: () => undefined } };
