/**
 * Pure: the operator view's overview of a period, from the recent-request store: API requests
 * (calls and WebSocket turns), client-visible failures, failures absorbed (and the failed attempts
 * they hid, by kind), retries, fallbacks, time to first byte (p50/p99), tokens, and the same per
 * hour or per day. WebSocket connections and prewarms are rows of the store but not requests
 * (http/request-record.ts): they are counted apart, and nowhere else.
 */
import { isApiRequest, type RequestRecord } from '../http/request-record';
import { failureKind, type AbsorbedKind } from '../teams/usage';

export const PERIODS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type Period = keyof typeof PERIODS;

export function isPeriod(value: string | undefined): value is Period {
  return value !== undefined && Object.hasOwn(PERIODS, value);
}

export interface Totals {
  /** API requests: calls and WebSocket turns (not connections, not prewarms). */
  readonly requests: number;
  readonly ok: number;
  readonly failed: number;
  readonly refused: number;
  readonly cancelled: number;
  readonly absorbed: number;
  /** The failed attempts that absorbed requests hid from their clients, by kind. */
  readonly absorbedAttempts: Readonly<Record<AbsorbedKind, number>>;
  readonly retries: number;
  readonly fallbacks: number;
  readonly ttfbP50: number | null;
  readonly ttfbP99: number | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** WebSocket connections accepted (their turns are requests). */
  readonly connections: number;
  /** Prewarm turns (`generate: false`), answered by the gateway without an upstream request. */
  readonly prewarms: number;
}

export interface Bucket extends Totals {
  /** Start of the bucket, ms since the epoch. */
  readonly start: number;
}

export interface Overview {
  readonly from: number;
  readonly to: number;
  readonly bucketMs: number;
  readonly totals: Totals;
  readonly buckets: readonly Bucket[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The nearest-rank percentile of sorted values; null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

export function totals(rows: readonly RequestRecord[]): Totals {
  const records = rows.filter((record) => isApiRequest(record.outcome));
  const count = (outcome: RequestRecord['outcome']): number => rows.filter((record) => record.outcome === outcome).length;
  const absorbedAttempts: Record<AbsorbedKind, number> = { transport: 0, '5xx': 0, '429': 0, timeout: 0, empty: 0, other: 0 };
  for (const record of records) {
    if (record.outcome !== 'absorbed') continue;
    for (const attempt of record.attempts) {
      const kind = failureKind(attempt);
      if (kind !== null) absorbedAttempts[kind] += 1;
    }
  }
  const ttfb = records
    .filter((record) => record.outcome !== 'refused' && record.ttfbMs !== null)
    .map((record) => record.ttfbMs ?? 0)
    .sort((a, b) => a - b);
  const sum = (pick: (record: RequestRecord) => number | null): number => records.reduce((total, record) => total + (pick(record) ?? 0), 0);
  return {
    requests: records.length,
    ok: count('ok'),
    failed: count('failed'),
    refused: count('refused'),
    cancelled: count('cancelled'),
    absorbed: count('absorbed'),
    absorbedAttempts,
    retries: sum((record) => record.retries),
    fallbacks: records.filter((record) => record.fallback).length,
    ttfbP50: percentile(ttfb, 50),
    ttfbP99: percentile(ttfb, 99),
    inputTokens: sum((record) => record.inputTokens),
    outputTokens: sum((record) => record.outputTokens),
    connections: count('connection'),
    prewarms: count('prewarm'),
  };
}

/** The overview of the `period` that ends at `now`; hourly buckets up to a day, daily beyond. */
export function overview(records: readonly RequestRecord[], period: Period, now: number): Overview {
  const span = PERIODS[period];
  const bucketMs = span <= DAY_MS ? HOUR_MS : DAY_MS;
  const first = Math.floor((now - span) / bucketMs) * bucketMs;
  const inPeriod = records.filter((record) => record.at >= now - span && record.at <= now);
  const buckets: Bucket[] = [];
  for (let start = first; start <= now; start += bucketMs) {
    buckets.push({ start, ...totals(inPeriod.filter((record) => record.at >= start && record.at < start + bucketMs)) });
  }
  return { from: now - span, to: now, bucketMs, totals: totals(inPeriod), buckets };
}
