/** D1 queries for the usage totals per team and day (usage_daily): one upsert per request, read by day range. */
import { USAGE_COUNTERS, type UsageCounter, type UsageCounts } from '../usage';

const COLUMNS = USAGE_COUNTERS.join(', ');
const ADD = USAGE_COUNTERS.map((counter) => `${counter} = ${counter} + excluded.${counter}`).join(', ');
const VALUES = USAGE_COUNTERS.map((_, index) => `?${index + 3}`).join(', ');

/** Adds one request's counts to its team's row of the day (created by the first). */
export function addUsage(db: D1Database, teamId: string, day: string, counts: UsageCounts): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO usage_daily (team_id, day, ${COLUMNS}) VALUES (?1, ?2, ${VALUES}) ON CONFLICT (team_id, day) DO UPDATE SET ${ADD}`)
    .bind(teamId, day, ...USAGE_COUNTERS.map((counter) => counts[counter]));
}

export interface UsageDay {
  readonly day: string;
  readonly counts: UsageCounts;
}

type UsageRow = { readonly day: string } & Readonly<Record<UsageCounter, number>>;

/** The team's days from `from` to `to` (YYYY-MM-DD, both included) that had traffic, oldest first. */
export async function listUsage(db: D1Database, teamId: string, from: string, to: string): Promise<UsageDay[]> {
  const { results } = await db
    .prepare(`SELECT day, ${COLUMNS} FROM usage_daily WHERE team_id = ?1 AND day >= ?2 AND day <= ?3 ORDER BY day`)
    .bind(teamId, from, to)
    .all<UsageRow>();
  return results.map(({ day, ...counts }) => ({ day, counts }));
}
