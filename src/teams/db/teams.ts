/** D1 queries for teams (admin API). Writes return statements, so that a change and its audit entry go in one batch. */
import type { Team } from '../model';
import { TEAM_COLUMNS, teamFromRow, teamValues, type TeamRow } from './rows';

const placeholders = (count: number): string => Array.from({ length: count }, (_, i) => `?${i + 1}`).join(', ');

export async function listTeams(db: D1Database): Promise<Team[]> {
  const { results } = await db.prepare(`SELECT ${TEAM_COLUMNS} FROM teams ORDER BY created_at, id`).all<TeamRow>();
  return results.map(teamFromRow);
}

export async function getTeam(db: D1Database, id: string): Promise<Team | null> {
  const row = await db.prepare(`SELECT ${TEAM_COLUMNS} FROM teams WHERE id = ?1`).bind(id).first<TeamRow>();
  return row === null ? null : teamFromRow(row);
}

export function insertTeam(db: D1Database, team: Team): D1PreparedStatement {
  return db.prepare(`INSERT INTO teams (${TEAM_COLUMNS}) VALUES (${placeholders(TEAM_COLUMNS.split(', ').length)})`).bind(...teamValues(team));
}

/** Writes every column of the team (the caller merged the change into the current record). */
export function replaceTeam(db: D1Database, team: Team): D1PreparedStatement {
  const assignments = TEAM_COLUMNS.split(', ')
    .map((column, index) => `${column} = ?${index + 1}`)
    .slice(1)
    .join(', ');
  return db.prepare(`UPDATE teams SET ${assignments} WHERE id = ?1`).bind(...teamValues(team));
}
