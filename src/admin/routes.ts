/** Admin: a team's route table, read and replaced whole (model or pattern → ordered providers). */
import type { Handler } from 'hono';
import type { AppEnv } from '../http/context';
import { listProviders } from '../teams/db/providers';
import { listRoutes, replaceRoutes } from '../teams/db/routes';
import type { Route } from '../teams/model';
import { validateRoutes } from '../teams/validate';
import { adminCall, commit, jsonBody, pathParam, requireTeam } from './call';

function routesJson(teamId: string, routes: readonly Route[]): Record<string, unknown> {
  return { object: 'team.routes', team_id: teamId, routes };
}

export const getRoutes: Handler<AppEnv> = async (c) => {
  const call = adminCall(c);
  const team = await requireTeam(call, pathParam(c, 'team'));
  return c.json(routesJson(team.id, await listRoutes(call.db, team.id)));
};

export const setRoutes: Handler<AppEnv> = async (c) => {
  const call = adminCall(c);
  const team = await requireTeam(call, pathParam(c, 'team'));
  const providers = new Set((await listProviders(call.db, team.id)).map((provider) => provider.name));
  const routes = validateRoutes(await jsonBody(c), providers);
  await commit(call, replaceRoutes(call.db, team.id, routes), { action: 'routes.set', teamId: team.id, subject: null, details: { routes } });
  return c.json(routesJson(team.id, routes));
};
