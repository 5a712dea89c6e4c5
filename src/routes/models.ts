/**
 * `GET /v1/models` and `GET /v1/models/{model}`. For a team key the gateway answers from the
 * team's routes (models and aliases, no upstream call); in single-upstream mode the request is
 * relayed upstream as before.
 */
import type { Handler } from 'hono';
import type { AppEnv } from '../http/context';
import type { RouteHandler } from './proxy';
import { modelObject, teamModels } from '../teams/catalog';
import { listedModels } from '../teams/routing';
import { modelNotFound } from '../core/errors';

export function models(passthrough: RouteHandler): Handler<AppEnv> {
  return (c) => {
    const team = c.get('team');
    if (team === null) return passthrough(c);
    return Response.json(teamModels(team));
  };
}

export function model(passthrough: RouteHandler): Handler<AppEnv> {
  return (c) => {
    const team = c.get('team');
    if (team === null) return passthrough(c);
    const id = decodedModel(c.req.path.replace(/^\/v1\/models\//, ''));
    if (id === null || !listedModels(team.routes, team.team.allowedModels).includes(id)) throw modelNotFound(id ?? c.req.path, `team ${team.team.id}`);
    return Response.json(modelObject(id, team.team.id));
  };
}

/** The model id of a `/v1/models/{id}` path, or null when its escapes are not valid. */
function decodedModel(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
