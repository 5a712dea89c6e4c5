/**
 * Admin: a team's usage totals, per UTC day and summed, for `?from=YYYY-MM-DD&to=YYYY-MM-DD`
 * (both included; default: the 30 days ending today; at most 366 days). Days without traffic
 * are left out.
 */
import type { Handler } from 'hono';
import type { AppEnv } from '../http/context';
import { listUsage } from '../teams/db/usage';
import { fieldError } from '../teams/fields';
import { sumUsage, usageDay } from '../teams/usage';
import { adminCall, pathParam, requireTeam } from './call';

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;

/** A YYYY-MM-DD that names a real day, as its time (UTC midnight). */
function day(value: string, param: string): number {
  const time = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(time) || usageDay(time) !== value) throw fieldError(param, `must be a day as YYYY-MM-DD, got "${value}"`);
  return time;
}

/** Pure: the day range a query asks for, checked. */
export function usageRange(from: string | undefined, to: string | undefined, now: Date): { readonly from: string; readonly to: string } {
  const end = to === undefined ? Date.parse(`${usageDay(now.getTime())}T00:00:00Z`) : day(to, 'to');
  const start = from === undefined ? end - (DEFAULT_DAYS - 1) * DAY_MS : day(from, 'from');
  if (start > end) throw fieldError('from', `must not be after "to" (${usageDay(end)})`);
  if ((end - start) / DAY_MS + 1 > MAX_DAYS) throw fieldError('from', `must be at most ${MAX_DAYS} days before "to"`);
  return { from: usageDay(start), to: usageDay(end) };
}

export const getUsage: Handler<AppEnv> = async (c) => {
  const call = adminCall(c);
  const team = await requireTeam(call, pathParam(c, 'team'));
  const range = usageRange(c.req.query('from'), c.req.query('to'), call.now);
  const days = await listUsage(call.db, team.id, range.from, range.to);
  return c.json({
    object: 'team.usage',
    team_id: team.id,
    from: range.from,
    to: range.to,
    days: days.map(({ day: date, counts }) => ({ day: date, ...counts })),
    totals: sumUsage(days.map((entry) => entry.counts)),
  });
};
