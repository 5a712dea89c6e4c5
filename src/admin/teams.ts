/** Admin: teams. Create, list, read (with its providers and routes), update; `enabled: false` disables a team's keys. */
import type { Handler } from 'hono';
import type { AppEnv } from '../http/context';
import { insertTeam, listTeams, replaceTeam } from '../teams/db/teams';
import { newId } from '../teams/keys';
import type { Team } from '../teams/model';
import { overridesForApi, validateTeamCreate, validateTeamPatch, type TeamPatch } from '../teams/validate';
import { conflict } from '../core/errors';
import { adminCall, commit, jsonBody, pathParam, requireTeam } from './call';

export function teamJson(team: Team): Record<string, unknown> {
  return {
    id: team.id,
    object: 'team',
    name: team.name,
    enabled: team.enabled,
    ...overridesForApi(team.overrides),
    allowed_models: team.allowedModels,
    created_at: team.createdAt,
    updated_at: team.updatedAt,
  };
}

/** Pure: the team after a patch. */
export function patchTeam(team: Team, patch: TeamPatch, now: Date): Team {
  return {
    ...team,
    name: patch.name ?? team.name,
    enabled: patch.enabled ?? team.enabled,
    overrides: { ...team.overrides, ...patch.overrides },
    allowedModels: patch.allowedModels === undefined ? team.allowedModels : patch.allowedModels,
    updatedAt: now.toISOString(),
  };
}

/** A team's settings as the audit log records them (a team has no secrets). */
function auditFields(team: Team): Record<string, unknown> {
  const { object: _object, created_at: _created, updated_at: _updated, ...fields } = teamJson(team);
  return fields;
}

/** The fields a patch changed, with their new values. */
function changes(before: Team, after: Team): Record<string, unknown> {
  const old = auditFields(before);
  return Object.fromEntries(Object.entries(auditFields(after)).filter(([field, value]) => JSON.stringify(value) !== JSON.stringify(old[field])));
}

export const createTeam: Handler<AppEnv> = async (c) => {
  const call = adminCall(c);
  const input = validateTeamCreate(await jsonBody(c));
  const at = call.now.toISOString();
  const empty = { maxAttempts: null, budgetMs: null, headersMs: null, streamIdleMs: null, rpm: null, maxStreams: null };
  const team: Team = {
    id: input.id ?? newId('team'),
    name: input.name,
    enabled: input.enabled ?? true,
    overrides: { ...empty, ...input.overrides },
    allowedModels: input.allowedModels ?? null,
    createdAt: at,
    updatedAt: at,
  };
  await commit(
    call,
    [insertTeam(call.db, team)],
    { action: 'team.create', teamId: team.id, subject: team.id, details: auditFields(team) },
    conflict(`a team "${team.id}" already exists`, 'team_exists'),
  );
  return c.json(teamJson(team), 201);
};

export const listAllTeams: Handler<AppEnv> = async (c) => {
  const teams = await listTeams(adminCall(c).db);
  return c.json({ object: 'list', data: teams.map(teamJson) });
};

export const getOneTeam: Handler<AppEnv> = async (c) => {
  const team = await requireTeam(adminCall(c), pathParam(c, 'team'));
  return c.json(teamJson(team));
};

export const updateTeam: Handler<AppEnv> = async (c) => {
  const call = adminCall(c);
  const before = await requireTeam(call, pathParam(c, 'team'));
  const after = patchTeam(before, validateTeamPatch(await jsonBody(c)), call.now);
  await commit(call, [replaceTeam(call.db, after)], { action: 'team.update', teamId: after.id, subject: after.id, details: changes(before, after) });
  return c.json(teamJson(after));
};
