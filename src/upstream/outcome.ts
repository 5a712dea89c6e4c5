/**
 * Every upstream attempt ends as exactly one of a small closed set of outcomes. Policy
 * (retry-policy.ts) and mapping (failure-error.ts) switch over it; the compiler checks
 * that every case is handled.
 */

/** The error an upstream put in its body, whatever shape the body had. */
export interface UpstreamError {
  readonly message: string | null;
  readonly type: string | null;
  readonly code: string | null;
  readonly param: string | null;
  /** 'json' when the provider answered with a JSON error document; 'other' for HTML, text or nothing. */
  readonly shape: 'json' | 'other';
}

export type AttemptFailure =
  /** The connection broke (reset, refused, TLS, workerd's "Network connection lost."): before the headers, or while the body was read. */
  | { readonly kind: 'transport'; readonly message: string; readonly phase: 'headers' | 'body' }
  /** No answer to commit within the headers timeout: no headers ('headers'), or a body not read whole / a stream without its first byte ('body'). */
  | { readonly kind: 'timeout'; readonly afterMs: number; readonly phase: 'headers' | 'body' }
  /** A 3xx: the gateway follows no redirect (it would carry the key elsewhere). */
  | { readonly kind: 'redirect'; readonly status: number; readonly location: string | null }
  /** A body larger than the gateway reads whole (what, and the setting that bounds it). */
  | { readonly kind: 'oversized'; readonly what: string; readonly limitBytes: number; readonly setting: string }
  /** A 2xx body in a content-encoding workerd leaves encoded (encoding.ts): never relayed, its bytes cannot be searched for a secret. */
  | { readonly kind: 'undecodable'; readonly encoding: string }
  /** A 2xx stream or body that ended or broke before its first byte. */
  | { readonly kind: 'empty' }
  /** A non-2xx answer; retryAfterMs is the upstream's own hint, if it gave one. */
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly error: UpstreamError;
      readonly retryAfterMs: number | null;
    };

export type FailureKind = AttemptFailure['kind'];
