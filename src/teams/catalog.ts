/**
 * Pure: what a team's routes offer, as the gateway itself answers it (no upstream call): the
 * model list of GET /v1/models and the choices behind the Codex config block.
 */
import type { Route } from './model';
import { isPattern, listedModels, matchRoute, modelAllowed } from './routing';
import { adapterFor } from '../providers/registry';
import type { TeamView } from './tenant';

export interface ModelObject {
  readonly id: string;
  readonly object: 'model';
  readonly created: number;
  readonly owned_by: string;
}

export function modelObject(id: string, teamId: string): ModelObject {
  return { id, object: 'model', created: 0, owned_by: `codex-edge/${teamId}` };
}

export function teamModels(view: TeamView): { readonly object: 'list'; readonly data: readonly ModelObject[] } {
  return { object: 'list', data: listedModels(view.routes, view.team.allowedModels).map((id) => modelObject(id, view.team.id)) };
}

function servesResponses(view: TeamView, route: Route): boolean {
  return route.targets.some((target) => {
    const provider = view.providers.get(target.provider);
    return provider !== undefined && adapterFor(provider.wire, { providerKey: `team ${view.team.id}/${provider.name}` }).serves('responses');
  });
}

/** A model Codex can use with this team: routed, allowed, and served on /v1/responses (by a Responses provider, or translated to a Chat one). */
export function codexCanUse(view: TeamView, model: string): boolean {
  const match = modelAllowed(view.team.allowedModels, model) ? matchRoute(view.routes, model) : null;
  return match !== null && servesResponses(view, match.route);
}

/** The first exact route model Codex can use, or null. */
export function defaultCodexModel(view: TeamView): string | null {
  const route = view.routes.find((r) => !isPattern(r.model) && modelAllowed(view.team.allowedModels, r.model) && servesResponses(view, r));
  return route?.model ?? null;
}

/** True when some routed provider is authorised with the client's own key. */
export function usesClientKey(view: TeamView): boolean {
  return view.routes.some((route) => route.targets.some((target) => view.providers.get(target.provider)?.credential.kind === 'client'));
}
