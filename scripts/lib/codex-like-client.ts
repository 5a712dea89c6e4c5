/**
 * A client that retries a streamed turn the way Codex does with its default settings
 * (FIELD-NOTES §1): an inner loop of 4 quick retries on a 5xx or a lost connection (200 ms
 * doubling), inside an outer loop of 5 more tries that honours `Retry-After` and the in-band
 * "try again in Ns" of a `response.failed` with code `rate_limit_exceeded`; a persistent 5xx
 * costs 30 requests over ~25 s. What is final (a 4xx, a 429 without Retry-After) stops at once.
 * Sending and waiting are passed in, so the loop is tested without a network or a clock.
 */

/** What one request came to, as the retry loop sees it. */
export type TurnAnswer =
  | { readonly kind: 'completed' }
  /** 5xx, a lost connection, a stream that ended without completing: retried quickly, then again after the hint if any. */
  | { readonly kind: 'transient'; readonly retryAfterMs: number | null; readonly what: string }
  /** `response.failed` rate_limit_exceeded with "try again in Ns", or a 429 with Retry-After: wait that long. */
  | { readonly kind: 'wait'; readonly ms: number; readonly what: string }
  | { readonly kind: 'final'; readonly what: string };

export interface TurnOutcome {
  readonly completed: boolean;
  readonly requests: number;
  /** The last answer's description when the turn failed. */
  readonly error: string | null;
}

export interface RetryShape {
  readonly innerRetries: number;
  readonly outerRetries: number;
  readonly baseMs: number;
}

/** Codex's defaults: request_max_retries 4, stream_max_retries 5, backoff 200 ms doubling. */
export const CODEX_DEFAULTS: RetryShape = { innerRetries: 4, outerRetries: 5, baseMs: 200 };

export async function codexLikeTurn(
  send: () => Promise<TurnAnswer>,
  sleep: (ms: number) => Promise<void>,
  shape: RetryShape = CODEX_DEFAULTS,
): Promise<TurnOutcome> {
  let requests = 0;
  let last: TurnAnswer = { kind: 'final', what: 'no request made' };
  for (let outer = 0; outer <= shape.outerRetries; outer += 1) {
    if (outer > 0) await sleep(outerWait(last, outer, shape));
    for (let inner = 0; inner <= shape.innerRetries; inner += 1) {
      if (inner > 0) await sleep(last.kind === 'transient' && last.retryAfterMs !== null ? last.retryAfterMs : shape.baseMs * 2 ** (inner - 1));
      requests += 1;
      last = await send();
      if (last.kind === 'completed') return { completed: true, requests, error: null };
      if (last.kind === 'final') return { completed: false, requests, error: last.what };
      if (last.kind === 'wait') break;
    }
  }
  return { completed: false, requests, error: last.what };
}

function outerWait(last: TurnAnswer, outer: number, shape: RetryShape): number {
  if (last.kind === 'wait') return last.ms;
  if (last.kind === 'transient' && last.retryAfterMs !== null) return last.retryAfterMs;
  return shape.baseMs * 2 ** (outer - 1);
}

const TRY_AGAIN = /try again in\s*(\d+(?:\.\d+)?)\s*(s|ms|seconds?)/i;

/** Reads one HTTP answer (status, Retry-After, the body as text) the way Codex does. */
export function readAnswer(status: number, retryAfter: string | null, body: string): TurnAnswer {
  const afterMs = retryAfter === null || retryAfter.trim() === '' || !Number.isFinite(Number(retryAfter)) ? null : Number(retryAfter) * 1000;
  if (status === 200) {
    if (body.includes('"type":"response.completed"')) return { kind: 'completed' };
    const failed = failedEvent(body);
    if (failed === null) return { kind: 'transient', retryAfterMs: null, what: 'stream closed before response.completed' };
    const hint = TRY_AGAIN.exec(failed.message);
    if (failed.code === 'rate_limit_exceeded' && hint !== null) {
      const amount = Number(hint[1]);
      return { kind: 'wait', ms: hint[2]?.toLowerCase() === 'ms' ? amount : amount * 1000, what: failed.message };
    }
    return { kind: 'transient', retryAfterMs: null, what: failed.message };
  }
  const error = errorOf(body);
  const what = `HTTP ${status}: ${error.message ?? body.slice(0, 120)}`;
  if (status === 429) return afterMs === null ? { kind: 'final', what } : { kind: 'wait', ms: afterMs, what };
  if (status === 400 || (status === 404 && error.code === 'model_not_found')) return { kind: 'final', what };
  return { kind: 'transient', retryAfterMs: afterMs, what }; // 5xx, and Codex retries 401, 405, other 404s too
}

interface ErrorFields {
  readonly code: string | null;
  readonly message: string | null;
}

function fields(value: unknown): ErrorFields {
  if (typeof value !== 'object' || value === null) return { code: null, message: null };
  const { code, message } = value as Record<string, unknown>;
  return { code: typeof code === 'string' ? code : null, message: typeof message === 'string' ? message : null };
}

function errorOf(body: string): ErrorFields {
  try {
    const parsed: unknown = JSON.parse(body);
    return fields(typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['error'] : null);
  } catch {
    return { code: null, message: null };
  }
}

/** The error of the stream's `response.failed` event, if it has one. */
function failedEvent(body: string): { readonly code: string | null; readonly message: string } | null {
  for (const line of body.split('\n')) {
    if (!line.startsWith('data:')) continue;
    let event: unknown;
    try {
      event = JSON.parse(line.slice(5));
    } catch {
      continue;
    }
    if (typeof event !== 'object' || event === null || (event as Record<string, unknown>)['type'] !== 'response.failed') continue;
    const response = (event as Record<string, unknown>)['response'];
    const error = fields(typeof response === 'object' && response !== null ? (response as Record<string, unknown>)['error'] : null);
    return { code: error.code, message: error.message ?? 'response.failed' };
  }
  return null;
}
