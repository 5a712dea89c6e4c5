import { describe, expect, it } from 'vitest';
import { overview, percentile, totals } from '../../../src/admin/overview';
import type { RequestRecord } from '../../../src/http/request-record';
import type { AttemptRecord } from '../../../src/upstream/attempts';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-01T12:30:00Z');

function record(fields: Partial<RequestRecord> & Pick<RequestRecord, 'outcome'>): RequestRecord {
  return {
    at: NOW - 1000,
    requestId: 'r',
    teamId: null,
    method: 'POST',
    route: '/v1/responses',
    model: null,
    stream: true,
    upstreamHost: 'sim',
    status: 200,
    errorCode: null,
    error: null,
    streamEnd: null,
    attempts: [],
    retries: 0,
    fallback: false,
    ttfbMs: 10,
    totalMs: 20,
    inputTokens: null,
    outputTokens: null,
    ...fields,
  };
}

const attempt = (outcome: AttemptRecord['outcome'], status: number | null = null): AttemptRecord => ({ target: 'a', outcome, status, ms: 1 });

describe('percentile', () => {
  it.each([
    [[], 50, null],
    [[5], 99, 5],
    [[1, 2, 3, 4], 50, 2],
    [[1, 2, 3, 4], 99, 4],
    [Array.from({ length: 100 }, (_, i) => i + 1), 99, 99],
  ])('%j p%d = %j', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });
});

describe('totals', () => {
  it('counts outcomes, absorbed attempts by kind, retries, fallbacks and tokens', () => {
    const result = totals([
      record({ outcome: 'ok', inputTokens: 100, outputTokens: 5, ttfbMs: 10 }),
      record({ outcome: 'absorbed', attempts: [attempt('transport'), attempt('status', 503), attempt('ok', 200)], retries: 2, ttfbMs: 30 }),
      record({ outcome: 'absorbed', attempts: [attempt('status', 429), attempt('empty'), attempt('timeout'), attempt('ok', 200)], retries: 3, fallback: true }),
      record({ outcome: 'failed', attempts: [attempt('status', 500), attempt('status', 500)], retries: 1, ttfbMs: 50 }),
      record({ outcome: 'refused', status: 401, ttfbMs: 1 }),
    ]);
    expect(result).toMatchObject({ requests: 5, ok: 1, absorbed: 2, failed: 1, refused: 1, retries: 6, fallbacks: 1, inputTokens: 100, outputTokens: 5 });
    expect(result.absorbedAttempts).toEqual({ transport: 1, '5xx': 1, '429': 1, empty: 1, timeout: 1, other: 0 });
    // the refused request's ttfb is left out: it never waited for a provider
    expect([result.ttfbP50, result.ttfbP99]).toEqual([10, 50]);
  });
});

describe('totals: what is not a request', () => {
  it('counts a WebSocket connection and a prewarm apart: one turn over WebSocket is one request, as over HTTP', () => {
    const result = totals([
      record({ outcome: 'connection', method: 'GET', status: 101, ttfbMs: 0, totalMs: 60_000 }),
      record({ outcome: 'prewarm', streamEnd: 'prewarm', ttfbMs: 1 }),
      record({ outcome: 'ok', attempts: [attempt('ok', 200)], ttfbMs: 400, inputTokens: 10, outputTokens: 2 }),
    ]);
    expect(result).toMatchObject({ requests: 1, ok: 1, connections: 1, prewarms: 1, inputTokens: 10, outputTokens: 2 });
    // their 0-1 ms are no time to first byte of an answer
    expect([result.ttfbP50, result.ttfbP99]).toEqual([400, 400]);
  });
});

describe('overview', () => {
  it('buckets a day per hour and a week per day, leaving out what is older than the period', () => {
    const records = [record({ outcome: 'ok', at: NOW - 10 }), record({ outcome: 'ok', at: NOW - 2 * HOUR }), record({ outcome: 'ok', at: NOW - 30 * HOUR })];
    const day = overview(records, '24h', NOW);
    expect(day.bucketMs).toBe(HOUR);
    expect(day.totals.requests).toBe(2);
    expect(day.buckets.reduce((sum, bucket) => sum + bucket.requests, 0)).toBe(2);
    expect(day.buckets.at(-1)?.requests).toBe(1);
    const week = overview(records, '7d', NOW);
    expect(week.bucketMs).toBe(24 * HOUR);
    expect(week.totals.requests).toBe(3);
  });
});
