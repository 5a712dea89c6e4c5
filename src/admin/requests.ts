/**
 * Admin: the recent-request store, read. `GET /admin/requests?team=&status=&outcome=&limit=`
 * (newest first, limit 1-500, default 100) and `GET /admin/overview?period=1h|24h|7d`; the
 * operator page renders the same reads.
 */
import type { Handler } from 'hono';
import type { AppEnv } from '../http/context';
import { REQUEST_OUTCOMES, type RequestOutcome } from '../http/request-record';
import { listRequests, REQUEST_WINDOW } from '../http/request-store';
import { fieldError } from '../teams/fields';
import { wholeParam } from './query';
import { adminSettings } from './auth';
import { isPeriod, overview, PERIODS, type Overview, type Period } from './overview';

export interface RequestFilter {
  readonly teamId: string | null;
  readonly status: number | null;
  readonly outcome: RequestOutcome | null;
  readonly limit: number;
}

/** The filter a query asks for, checked. */
export function requestFilter(query: (name: string) => string | undefined): RequestFilter {
  const asked = query('outcome') || null;
  const outcome = asked === null ? null : REQUEST_OUTCOMES.find((known) => known === asked);
  if (outcome === undefined) throw fieldError('outcome', `must be one of ${REQUEST_OUTCOMES.join(', ')}`);
  return {
    teamId: query('team')?.trim() || null,
    status: wholeParam(query('status'), 'status', 100, 599),
    outcome,
    limit: wholeParam(query('limit'), 'limit', 1, 500) ?? 100,
  };
}

export function periodOf(value: string | undefined): Period {
  if (value === undefined || value === '') return '24h';
  if (!isPeriod(value)) throw fieldError('period', `must be one of ${Object.keys(PERIODS).join(', ')}`);
  return value;
}

export async function readOverview(db: D1Database, period: Period, now: number): Promise<Overview> {
  const records = await listRequests(db, { from: now - PERIODS[period], to: null, teamId: null, status: null, outcome: null, limit: REQUEST_WINDOW });
  return overview(records, period, now);
}

/** Pure: a value with its object keys in snake_case, as every admin answer names fields (`ttfbP50` → `ttfb_p50`). */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeKeys(inner)]));
}

export const getRequests: Handler<AppEnv> = async (c) => {
  const filter = requestFilter((name) => c.req.query(name));
  const records = await listRequests(adminSettings(c).store, { ...filter, from: null, to: null });
  return c.json({ object: 'list', data: snakeKeys(records) });
};

export const getOverview: Handler<AppEnv> = async (c) => {
  const period = periodOf(c.req.query('period'));
  return c.json({ object: 'overview', period, ...(snakeKeys(await readOverview(adminSettings(c).store, period, Date.now())) as object) });
};
