/**
 * Pure: what one relayed request adds to its team's usage totals of the day. Counters, one per
 * column of usage_daily (migrations/0004_usage.sql), named once here: requests; client-visible
 * failures; failures absorbed (a request that succeeded after failed attempts, and those attempts
 * by kind: our own stale connections count as lost connections); retries (attempts beyond the
 * first, not counting those); fallbacks (requests that went to more than one
 * provider); and the tokens the provider reported (metered: requests that reported any).
 */
import type { RequestOutcome } from '../tenancy/ticket';
import { countedAttempts, type AttemptRecord } from '../upstream/attempts';

export const USAGE_COUNTERS = [
  'requests',
  'failed',
  'absorbed',
  'absorbed_transport',
  'absorbed_5xx',
  'absorbed_429',
  'absorbed_timeout',
  'absorbed_empty',
  'absorbed_other',
  'retries',
  'fallbacks',
  'metered',
  'input_tokens',
  'output_tokens',
  'total_tokens',
  'cached_tokens',
  'reasoning_tokens',
] as const;

export type UsageCounter = (typeof USAGE_COUNTERS)[number];
export type UsageCounts = Readonly<Record<UsageCounter, number>>;

/** The kinds of failed attempts a successful request absorbed. */
export type AbsorbedKind = 'transport' | '5xx' | '429' | 'timeout' | 'empty' | 'other';

export const ZERO_USAGE: UsageCounts = Object.fromEntries(USAGE_COUNTERS.map((counter) => [counter, 0])) as Record<UsageCounter, number>;

/** The UTC day (YYYY-MM-DD) of a time. */
export function usageDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** The kind of a failed attempt; null for one that did not fail. */
export function failureKind(attempt: AttemptRecord): AbsorbedKind | null {
  switch (attempt.outcome) {
    case 'ok':
    case 'cancelled':
      return null;
    case 'stale': // our own pooled connection, dropped by the provider at its idle cutoff
      return 'transport';
    case 'transport':
    case 'timeout':
    case 'empty':
      return attempt.outcome;
    case 'status':
      if (attempt.status === 429) return '429';
      return attempt.status !== null && attempt.status >= 500 ? '5xx' : 'other';
    case 'redirect':
    case 'oversized':
    case 'undecodable':
      return 'other';
  }
}

export function usageDelta(outcome: RequestOutcome): UsageCounts {
  const { attempts, usage } = outcome;
  const counts: Record<UsageCounter, number> = { ...ZERO_USAGE, requests: 1 };
  counts.failed = outcome.failed ? 1 : 0;
  counts.retries = Math.max(0, countedAttempts(attempts) - 1);
  counts.fallbacks = new Set(attempts.map((attempt) => attempt.target)).size > 1 ? 1 : 0;
  const kinds = attempts.map(failureKind).filter((kind): kind is AbsorbedKind => kind !== null);
  if (!outcome.failed && attempts.at(-1)?.outcome === 'ok' && kinds.length > 0) {
    counts.absorbed = 1;
    for (const kind of kinds) counts[`absorbed_${kind}`] += 1;
  }
  if (usage !== null) {
    counts.metered = 1;
    counts.input_tokens = usage.input;
    counts.output_tokens = usage.output;
    counts.total_tokens = usage.total;
    counts.cached_tokens = usage.cached;
    counts.reasoning_tokens = usage.reasoning;
  }
  return counts;
}

/** Counts added up. */
export function sumUsage(rows: readonly UsageCounts[]): UsageCounts {
  const total: Record<UsageCounter, number> = { ...ZERO_USAGE };
  for (const row of rows) for (const counter of USAGE_COUNTERS) total[counter] += row[counter];
  return total;
}
