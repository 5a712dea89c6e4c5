/** D1 queries for a team's route table, which is always replaced whole (its order is its meaning). */
import type { Route } from '../model';
import { routeFromRow, type RouteRow } from './rows';

export async function listRoutes(db: D1Database, teamId: string): Promise<Route[]> {
  const { results } = await db.prepare('SELECT model, aliases, targets FROM routes WHERE team_id = ?1 ORDER BY position').bind(teamId).all<RouteRow>();
  return results.map(routeFromRow);
}

/** Statements that replace the team's routes; run them in one batch (a D1 batch is one transaction). */
export function replaceRoutes(db: D1Database, teamId: string, routes: readonly Route[]): D1PreparedStatement[] {
  return [
    db.prepare('DELETE FROM routes WHERE team_id = ?1').bind(teamId),
    ...routes.map((route, position) =>
      db
        .prepare('INSERT INTO routes (team_id, position, model, aliases, targets) VALUES (?1, ?2, ?3, ?4, ?5)')
        .bind(teamId, position, route.model, JSON.stringify(route.aliases), JSON.stringify(route.targets)),
    ),
  ];
}
