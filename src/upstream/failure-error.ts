/**
 * Pure: the GatewayError a client receives when the attempts for its request end in a failure.
 * Messages say what happened and where (upstream status and host), never a key; the upstream's
 * own type and code are kept so that clients keying on them (context_length_exceeded, ...) still can.
 */
import { GatewayError, retryable, upstreamFault, type ClientAdvice } from '../core/errors';
import type { AttemptFailure } from './outcome';
import { classifyFailure, type StopReason } from './retry-policy';

/** What a request made: its attempts, and beside them its instant reconnects after our own stale connections (attempts.ts). */
export interface Tries {
  readonly attempts: number;
  readonly reconnects: number;
}

export interface FailureContext {
  readonly host: string;
  readonly tries: Tries;
  readonly stop: StopReason;
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** "3 attempts", "1 attempt, 8 reconnects", "no attempt made". */
function triesText({ attempts, reconnects }: Tries): string {
  const made = attempts === 0 ? 'no attempt made' : plural(attempts, 'attempt');
  return reconnects === 0 ? made : `${made}, ${plural(reconnects, 'reconnect')}`;
}

/** What a client is told to wait when the upstream gave no hint. */
const DEFAULT_CLIENT_RETRY_MS = 1000;

export function failureToError(failure: AttemptFailure, ctx: FailureContext): GatewayError {
  const tries = triesText(ctx.tries);
  switch (failure.kind) {
    case 'transport':
      return retryable(
        502,
        'upstream_unreachable',
        failure.phase === 'headers'
          ? `codex-edge: could not reach upstream ${ctx.host} (${tries}): ${failure.message}`
          : `codex-edge: upstream ${ctx.host} lost the connection while sending its answer (${tries}): ${failure.message}`,
        DEFAULT_CLIENT_RETRY_MS,
      );
    case 'timeout': {
      const what = failure.phase === 'headers' ? 'did not start answering' : 'did not deliver its answer';
      return retryable(
        504,
        'upstream_timeout',
        `codex-edge: upstream ${ctx.host} ${what} within ${failure.afterMs} ms (${tries}; UPSTREAM_HEADERS_TIMEOUT_MS)`,
        DEFAULT_CLIENT_RETRY_MS,
      );
    }
    case 'redirect':
      return upstreamFault(
        'upstream_redirect',
        `codex-edge: upstream ${ctx.host} redirected (${failure.status}) to ${failure.location ?? 'another location'}; not followed (check ` +
          `the provider's base URL)`,
      );
    case 'oversized':
      return upstreamFault(
        'upstream_response_too_large',
        `codex-edge: upstream ${ctx.host} sent ${failure.what} larger than ${failure.limitBytes} bytes (${failure.setting}); refused`,
      );
    case 'undecodable':
      return upstreamFault(
        'upstream_unsupported_encoding',
        `codex-edge: upstream ${ctx.host} sent its answer in content-encoding "${failure.encoding}", which the gateway does not decode ` +
          `(it reads gzip, br or none) and so cannot check for keys; refused`,
      );
    case 'empty':
      return retryable(502, 'upstream_empty_response', `codex-edge: upstream ${ctx.host} answered 200 with an empty body (${tries})`, DEFAULT_CLIENT_RETRY_MS);
    case 'status':
      return statusError(failure, ctx, tries);
  }
}

/** The provider's breaker is open: the gateway has already retried, and says how long to wait. */
export function providerDown(host: string, reason: string, retryInMs: number, tries: Tries): GatewayError {
  const wait = `the gateway sends it no requests for ${Math.ceil(retryInMs / 1000)} s`;
  return retryable(
    503,
    'upstream_unavailable',
    `codex-edge: upstream ${host} is failing (it ${reason}, again and again); ${wait} (${triesText(tries)})`,
    retryInMs,
  );
}

function statusError(failure: Extract<AttemptFailure, { kind: 'status' }>, ctx: FailureContext, tries: string): GatewayError {
  const { status, error } = failure;
  const detail = error.message === null ? describeBody(error.shape) : error.message;
  const message = `upstream ${ctx.host} answered ${status} (${tries}): ${detail}`;
  // A suspect answer (a 400/404 without a JSON error) that came back after its one retry is final too.
  const isFinal = classifyFailure(failure) !== 'transient';
  const advice: ClientAdvice = isFinal ? { kind: 'final' } : { kind: 'retry', afterMs: Math.max(failure.retryAfterMs ?? DEFAULT_CLIENT_RETRY_MS, 0) };
  return new GatewayError({
    status: isFinal || status === 429 ? status : transientStatus(status),
    message,
    type: error.type ?? (status >= 500 ? 'server_error' : 'invalid_request_error'),
    code: error.code,
    param: error.param,
    advice,
  });
}

/** Transient upstream statuses as a client sees them: 503 and 504 keep their meaning, the rest is 502. */
function transientStatus(status: number): number {
  if (status === 503) return 503;
  if (status === 504 || status === 408 || status === 524) return 504;
  return 502;
}

function describeBody(shape: 'json' | 'other'): string {
  return shape === 'other' ? 'no JSON error in the body (an HTML or empty answer, typically from a load balancer)' : 'no message in the error body';
}
