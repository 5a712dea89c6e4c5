/**
 * Pure: the summary of one request that the recent-request store keeps (migrations/0005), made
 * from its log line. Only the log line's own fields, so nothing a log line may not hold (a body,
 * a header, a key) can reach the store; every text of the row (the path, an upstream's error
 * code included) is redacted with the line's redactor, then clipped, as the line's fields are.
 * Kept as they are: the identifiers the store is filtered and grouped by (the request id, the
 * team id, each attempt's provider name), the gateway's own and bounded by the registry's
 * validation; a redacted one would no longer match its team or provider.
 */
import { shownText } from '../core/clip';
import type { Redactor } from '../core/redact';
import { failureKind } from '../teams/usage';
import { countedAttempts, type AttemptRecord } from '../upstream/attempts';
import type { RequestLog } from './log';

/**
 * How a row's request went. An API request (a call, or one turn of a WebSocket), as its client
 * saw it: `ok`; `absorbed`: it succeeded after failed attempts the client never saw; `failed`:
 * relayed, and the client saw a failure; `refused`: turned away before any upstream attempt (no
 * key, a limit, an open breaker, a bad request); `cancelled`: the client left before the answer.
 * Two rows are not API requests, and are counted apart (NOT_REQUESTS): `connection`, a WebSocket
 * connection's own row (its accepted handshake, 101, written at close; each of its turns has a row
 * of its own); `prewarm`, a turn with `generate: false` (Codex's prewarm), answered by the gateway
 * without an upstream request.
 */
export const REQUEST_OUTCOMES = ['ok', 'absorbed', 'failed', 'refused', 'cancelled', 'connection', 'prewarm'] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

/** The outcomes of rows that are not API requests. */
export type NotRequest = Extract<RequestOutcome, 'connection' | 'prewarm'>;

/** The `stream_end` of a prewarm turn's log line. */
export const PREWARM_END = 'prewarm';

/** Whether a row is an API request (a call or a turn), not a connection's or a prewarm's. */
export function isApiRequest(outcome: RequestOutcome): outcome is Exclude<RequestOutcome, NotRequest> {
  return outcome !== 'connection' && outcome !== 'prewarm';
}

/**
 * Pure: `connection` or `prewarm` for a row that is not an API request, told by its status (only
 * a connection's row has 101) and its stream end; null for an API request. Also read into rows
 * stored before these outcomes existed (stored as `ok`).
 */
export function notRequest(status: number | null, streamEnd: string | null): NotRequest | null {
  if (status === 101) return 'connection';
  return streamEnd === PREWARM_END ? 'prewarm' : null;
}

/** An attempt as the log line holds it: provider, outcome, status, time. */
export type AttemptSummary = AttemptRecord;

export interface RequestRecord {
  readonly at: number;
  readonly requestId: string;
  readonly teamId: string | null;
  readonly method: string;
  readonly route: string;
  readonly model: string | null;
  readonly stream: boolean | null;
  readonly upstreamHost: string | null;
  readonly status: number | null;
  readonly outcome: RequestOutcome;
  readonly errorCode: string | null;
  readonly error: string | null;
  readonly streamEnd: string | null;
  readonly attempts: readonly AttemptSummary[];
  readonly retries: number;
  readonly fallback: boolean;
  readonly ttfbMs: number | null;
  readonly totalMs: number | null;
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
}

/** Pure: the outcome of a request from its log line. */
export function requestOutcome(entry: Pick<RequestLog, 'status' | 'failed' | 'attempts' | 'stream_end'>): RequestOutcome {
  if (entry.status === 499) return 'cancelled';
  const apart = notRequest(entry.status, entry.stream_end);
  if (apart !== null) return apart;
  const failedAttempts = entry.attempts.some((attempt) => failureKind(attempt) !== null);
  if (entry.failed === true || entry.status === null || entry.status >= 400) return entry.attempts.length === 0 ? 'refused' : 'failed';
  return failedAttempts ? 'absorbed' : 'ok';
}

export function requestRecord(entry: Readonly<RequestLog>, redactor: Redactor, at: number): RequestRecord {
  const shown = (value: string): string => shownText(value, redactor);
  const text = (value: string | null): string | null => (value === null ? null : shown(value));
  return {
    at,
    requestId: entry.request_id,
    teamId: entry.team,
    method: shown(entry.method),
    route: shown(entry.route),
    model: text(entry.model),
    stream: entry.stream,
    upstreamHost: text(entry.upstream_host),
    status: entry.status,
    outcome: requestOutcome(entry),
    errorCode: text(entry.error_code),
    error: text(entry.error),
    streamEnd: text(entry.stream_end),
    attempts: entry.attempts.map(({ target, outcome, status, ms }) => ({ target, outcome, status, ms })),
    retries: Math.max(0, countedAttempts(entry.attempts) - 1),
    fallback: new Set(entry.attempts.map((attempt) => attempt.target)).size > 1,
    ttfbMs: entry.ttfb_ms,
    totalMs: entry.total_ms,
    inputTokens: entry.usage?.input ?? null,
    outputTokens: entry.usage?.output ?? null,
  };
}
