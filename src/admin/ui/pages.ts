/** The operator page's views as handlers: each reads what it shows (I/O here), then renders a view (pure). */
import type { Handler } from 'hono';
import { listRequests, REQUEST_WINDOW } from '../../http/request-store';
import { listKeys } from '../../teams/db/keys';
import { listProviders } from '../../teams/db/providers';
import { listRoutes } from '../../teams/db/routes';
import { getTeam, listTeams } from '../../teams/db/teams';
import { listUsage } from '../../teams/db/usage';
import { sumUsage, usageDay } from '../../teams/usage';
import { resourceNotFound } from '../../core/errors';
import { adminSettings } from '../auth';
import { adminCall } from '../call';
import { PERIODS } from '../overview';
import { providerStatuses } from '../provider-health';
import { periodOf, readOverview, requestFilter } from '../requests';
import { usageRange } from '../usage';
import type { TeamSettings } from '../../config/settings';
import type { UiEnv } from './env';
import { page } from './layout';
import { overviewView } from './views/overview';
import { providersView } from './views/providers';
import { requestsView } from './views/requests';
import { hostedOnlyView, teamsView, teamView, type LimitPolicy } from './views/teams';

/** The deployment's limits of teams, as the views show them. */
function limitPolicy(teams: TeamSettings): LimitPolicy {
  return { defaults: teams.defaultLimits, enforced: teams.limiter !== null };
}

export const overviewPage: Handler<UiEnv> = async (c) => {
  const period = periodOf(c.req.query('period'));
  const view = await readOverview(adminSettings(c).store, period, Date.now());
  return c.html(page('overview', 'Overview', c.get('csrf'), overviewView(view, period, REQUEST_WINDOW)));
};

export const providersPage: Handler<UiEnv> = async (c) => {
  const now = Date.now();
  const { store } = adminSettings(c);
  const records = await listRequests(store, { from: now - PERIODS['24h'], to: null, teamId: null, status: null, outcome: null, limit: REQUEST_WINDOW });
  return c.html(page('providers', 'Providers', c.get('csrf'), providersView(await providerStatuses(c.get('settings'), records))));
};

export const requestsPage: Handler<UiEnv> = async (c) => {
  const filter = requestFilter((name) => c.req.query(name));
  const records = await listRequests(adminSettings(c).store, { ...filter, from: null, to: null });
  return c.html(page('requests', 'Recent requests', c.get('csrf'), requestsView(records, filter)));
};

export const teamsPage: Handler<UiEnv> = async (c) => {
  if (c.get('settings').teams === null) return c.html(page('teams', 'Teams', c.get('csrf'), hostedOnlyView()));
  const { db, now, teams } = adminCall(c);
  const today = usageDay(now.getTime());
  const rows = await Promise.all(
    (await listTeams(db)).map(async (team) => ({ team, today: sumUsage((await listUsage(db, team.id, today, today)).map((day) => day.counts)) })),
  );
  return c.html(page('teams', 'Teams', c.get('csrf'), teamsView(rows, limitPolicy(teams))));
};

export const teamPage: Handler<UiEnv> = async (c) => {
  const { db, now, teams } = adminCall(c);
  const id = c.req.param('team') ?? '';
  const team = await getTeam(db, id);
  if (team === null) throw resourceNotFound('team', id);
  const range = usageRange(undefined, undefined, now);
  const today = usageDay(now.getTime());
  const [keys, providers, routes, days] = await Promise.all([
    listKeys(db, id),
    listProviders(db, id),
    listRoutes(db, id),
    listUsage(db, id, range.from, range.to),
  ]);
  const usage = sumUsage(days.map((day) => day.counts));
  const todayUsage = sumUsage(days.filter((day) => day.day === today).map((day) => day.counts));
  return c.html(
    page('teams', `Team ${team.id}`, c.get('csrf'), teamView({ team, keys, providers, routes, usage, today: todayUsage, now, policy: limitPolicy(teams) })),
  );
};
