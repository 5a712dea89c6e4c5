/**
 * The recent-request store (D1 table `requests`, migrations/0005): one row per API request (and
 * one per WebSocket connection: request-record.ts), written when its log line is, in the
 * background (waitUntil), never on the request's path; a rolling window of the newest
 * REQUEST_WINDOW rows, pruned by the table's insert trigger. A write that fails is logged and
 * lost, never retried. Read by the operator view (admin/).
 * The database is a value (Settings.requests): the team registry in hosted mode, the binding
 * REQUESTS in single-upstream mode, where no migration runs: the store creates its table from
 * migration 0005 itself (idempotent), once per isolate and database, before its first use.
 */
import type { MiddlewareHandler } from 'hono';
import type { Settings } from '../config/settings';
import type { AppEnv } from './context';
import type { RequestTrace } from './log';
import REQUESTS_SCHEMA from '../../migrations/0005_requests.sql';
import { notRequest, REQUEST_OUTCOMES, requestRecord, type AttemptSummary, type RequestOutcome, type RequestRecord } from './request-record';

/** Rows the store keeps: the newest this many requests (the trigger requests_window of migrations/0005). */
export const REQUEST_WINDOW = 50_000;

const COLUMNS = [
  'at, request_id, team_id, method, route, model, stream, upstream_host, status, outcome',
  'error_code, error, stream_end, attempts, retries, fallback, ttfb_ms, total_ms, input_tokens, output_tokens',
].join(', ');

function values(record: RequestRecord): (string | number | null)[] {
  const bit = (value: boolean | null): number | null => (value === null ? null : Number(value));
  return [
    record.at,
    record.requestId,
    record.teamId,
    record.method,
    record.route,
    record.model,
    bit(record.stream),
    record.upstreamHost,
    record.status,
    record.outcome,
    record.errorCode,
    record.error,
    record.streamEnd,
    JSON.stringify(record.attempts),
    record.retries,
    Number(record.fallback),
    record.ttfbMs,
    record.totalMs,
    record.inputTokens,
    record.outputTokens,
  ];
}

const MARKS = COLUMNS.split(', ')
  .map((_, index) => `?${index + 1}`)
  .join(', ');

const ready = new WeakSet<D1Database>();

/**
 * Creates the store's table in `db` (with its index and trigger: the whole of migration 0005, one
 * prepared query, trimmed so that no empty statement follows its last) unless this isolate has.
 */
async function ensureStore(db: D1Database): Promise<void> {
  if (ready.has(db)) return;
  await db.prepare(REQUESTS_SCHEMA.trim()).run();
  ready.add(db);
}

/** Inserts one request; the table's trigger drops the row that fell out of the window. */
export async function storeRequest(db: D1Database, record: RequestRecord): Promise<void> {
  await ensureStore(db);
  await db
    .prepare(`INSERT INTO requests (${COLUMNS}) VALUES (${MARKS})`)
    .bind(...values(record))
    .run();
}

/** With a store, the summary of `trace`'s request goes to it when its line is written. */
export function recordRequest(store: Settings['requests'], trace: RequestTrace): void {
  if (store === null) return;
  trace.sendTo(async (entry, redactor, startedAt) => {
    try {
      await storeRequest(store, requestRecord(entry, redactor, startedAt));
    } catch (err) {
      console.warn(JSON.stringify({ level: 'warn', msg: 'request store', error: err instanceof Error ? err.message : String(err) }));
    }
  });
}

/** Middleware for API routes: each request is recorded (a WebSocket turn is recorded by its connection). */
export const recordRequests: MiddlewareHandler<AppEnv> = async (c, next) => {
  recordRequest(c.get('settings').requests, c.get('trace'));
  await next();
};

interface RequestRow {
  readonly at: number;
  readonly request_id: string;
  readonly team_id: string | null;
  readonly method: string;
  readonly route: string;
  readonly model: string | null;
  readonly stream: number | null;
  readonly upstream_host: string | null;
  readonly status: number | null;
  readonly outcome: string;
  readonly error_code: string | null;
  readonly error: string | null;
  readonly stream_end: string | null;
  readonly attempts: string;
  readonly retries: number;
  readonly fallback: number;
  readonly ttfb_ms: number | null;
  readonly total_ms: number | null;
  readonly input_tokens: number | null;
  readonly output_tokens: number | null;
}

/** A row's outcome; a connection's or a prewarm's row stored before they had outcomes of their own (as `ok`) is read as one. */
function outcomeOf(row: Pick<RequestRow, 'outcome' | 'status' | 'stream_end'>): RequestOutcome {
  return notRequest(row.status, row.stream_end) ?? REQUEST_OUTCOMES.find((outcome) => outcome === row.outcome) ?? 'failed';
}

function recordFromRow(row: RequestRow): RequestRecord {
  return {
    at: row.at,
    requestId: row.request_id,
    teamId: row.team_id,
    method: row.method,
    route: row.route,
    model: row.model,
    stream: row.stream === null ? null : row.stream === 1,
    upstreamHost: row.upstream_host,
    status: row.status,
    outcome: outcomeOf(row),
    errorCode: row.error_code,
    error: row.error,
    streamEnd: row.stream_end,
    attempts: JSON.parse(row.attempts) as AttemptSummary[],
    retries: row.retries,
    fallback: row.fallback === 1,
    ttfbMs: row.ttfb_ms,
    totalMs: row.total_ms,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
  };
}

export interface RequestQuery {
  /** ms since the epoch, inclusive; null: from the start of the window. */
  readonly from: number | null;
  /** ms since the epoch, exclusive; null: up to now. */
  readonly to: number | null;
  readonly teamId: string | null;
  readonly status: number | null;
  readonly outcome: RequestOutcome | null;
  readonly limit: number;
}

/** The stored requests that match, newest first. */
export async function listRequests(db: D1Database, query: RequestQuery): Promise<RequestRecord[]> {
  const where: string[] = [];
  const binds: (string | number)[] = [];
  const add = (clause: string, value: string | number | null): void => {
    if (value === null) return;
    binds.push(value);
    where.push(clause.replace('?', `?${binds.length}`));
  };
  add('at >= ?', query.from);
  add('at < ?', query.to);
  add('team_id = ?', query.teamId);
  add('status = ?', query.status);
  add('outcome = ?', query.outcome);
  binds.push(query.limit);
  const sql = `SELECT ${COLUMNS} FROM requests ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?${binds.length}`;
  await ensureStore(db);
  const { results } = await db
    .prepare(sql)
    .bind(...binds)
    .all<RequestRow>();
  return results.map(recordFromRow);
}
