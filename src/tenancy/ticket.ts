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

/** An admission that holds nothing and keeps no books. */
export const FREE_ADMISSION: Admission = { kind: 'admitted', ticket: { end: () => undefined } };
