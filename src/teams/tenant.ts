/**
 * A team as a Tenant: the request's model picks a route of the team, the route's providers that
 * speak the request's wire API become the ordered targets, each with the model name it is sent.
 * Everything a team key can reach comes from its own team's records, loaded by its key.
 */
import type { ChatCapabilities } from '../config/chat-capabilities';
import type { Settings } from '../config/settings';
import { configurationError, invalidRequest, modelNotFound, unauthorized, unknownUrl } from '../core/errors';
import type { UpstreamAuth } from '../upstream/target';
import { adapterFor } from '../providers/registry';
import type { RoutedTarget, RouteRequest, Tenant } from '../tenancy/tenant';
import type { ProviderWire, Route, Team } from './model';
import { matchRoute, modelAllowed, upstreamModel } from './routing';

/** How a provider's requests are authorised, once its stored key is decrypted. */
export type ProviderCredential =
  { readonly kind: 'key'; readonly key: string } | { readonly kind: 'client' } | { readonly kind: 'unusable'; readonly reason: string };

export interface LiveProvider {
  readonly name: string;
  readonly baseUrl: URL;
  readonly wire: ProviderWire;
  /** What a chat provider accepts (unset: the defaults). */
  readonly capabilities?: ChatCapabilities;
  readonly credential: ProviderCredential;
}

/** A team with everything its requests need, as cached per key. */
export interface TeamView {
  readonly team: Team;
  readonly providers: ReadonlyMap<string, LiveProvider>;
  readonly routes: readonly Route[];
}

export interface TeamTenant extends Tenant {
  readonly teamId: string;
  readonly view: TeamView;
}

/** The API paths a team key is routed on (by the body's model); /v1/models and /v1/codex-config are answered by the gateway. */
const ROUTED_PATHS: ReadonlySet<string> = new Set(['/responses', '/responses/compact', '/chat/completions']);

/** The provider-health key of a team's provider (its breaker, its retry budget). */
export function teamHealthKey(teamId: string, provider: string): string {
  return `team ${teamId}/${provider}`;
}

/** providerKey: the client's own provider key, if it sent one beside its team key; admit: the team's (and key's) limits. */
export function teamTenant(view: TeamView, settings: Settings, providerKey: string | null, admit: Tenant['admit']): TeamTenant {
  const { team } = view;
  const { overrides } = team;
  return {
    teamId: team.id,
    view,
    retry: { ...settings.retry, maxAttempts: overrides.maxAttempts ?? settings.retry.maxAttempts, budgetMs: overrides.budgetMs ?? settings.retry.budgetMs },
    timeouts: {
      ...settings.timeouts,
      headersMs: overrides.headersMs ?? settings.timeouts.headersMs,
      streamIdleMs: overrides.streamIdleMs ?? settings.timeouts.streamIdleMs,
    },
    plan: (request) => planRoute(view, request, providerKey),
    admit,
  };
}

export function planRoute(view: TeamView, request: RouteRequest, providerKey: string | null): readonly [RoutedTarget, ...RoutedTarget[]] {
  const { team } = view;
  if (!ROUTED_PATHS.has(request.apiPath)) {
    throw unknownUrl(
      `codex-edge: team keys are served on POST /v1/responses, /v1/responses/compact, /v1/chat/completions and GET /v1/models, not on ${request.apiPath}`,
    );
  }
  const model = request.model;
  if (model === null)
    throw invalidRequest(400, 'codex-edge: "model" is required: a team gateway routes each request by its model', 'missing_required_parameter', 'model');
  const match = modelAllowed(team.allowedModels, model) ? matchRoute(view.routes, model) : null;
  if (match === null) throw modelNotFound(model, `team ${team.id}`);

  const targets: RoutedTarget[] = [];
  let wantsClientKey = false;
  let wrongWire = false;
  for (const target of match.route.targets) {
    const provider = view.providers.get(target.provider);
    if (provider === undefined) continue;
    const healthKey = teamHealthKey(team.id, provider.name);
    const adapter = adapterFor(provider.wire, { providerKey: healthKey, capabilities: provider.capabilities });
    if (!adapter.serves(request.wire)) {
      wrongWire = true;
      continue;
    }
    const auth = upstreamAuth(provider, team, providerKey);
    if (auth === null) {
      wantsClientKey = true;
      continue;
    }
    targets.push({ name: provider.name, healthKey, baseUrl: provider.baseUrl, auth, adapter, model: upstreamModel(match, target, model) });
  }
  const [first, ...rest] = targets;
  if (first !== undefined) return [first, ...rest];
  if (wantsClientKey) {
    throw unauthorized(
      `codex-edge: model "${model}" is served with your own provider key: send it as "Authorization: Bearer <provider key>" and the team key as "x-api-key"`,
    );
  }
  if (wrongWire) {
    throw invalidRequest(
      400,
      `codex-edge: model "${model}" is routed only to Chat Completions providers, which cannot serve /v1${request.apiPath}; use /v1/responses ` +
        `or /v1/chat/completions`,
      'unsupported_wire_api',
      'model',
    );
  }
  throw modelNotFound(model, `team ${team.id}`);
}

/** null: the provider uses the client's key and the client sent none. */
function upstreamAuth(provider: LiveProvider, team: Team, providerKey: string | null): UpstreamAuth | null {
  const { credential } = provider;
  switch (credential.kind) {
    case 'key':
      return { kind: 'key', key: credential.key };
    case 'client':
      return providerKey === null ? null : { kind: 'key', key: providerKey };
    case 'unusable':
      throw configurationError(`provider "${provider.name}" of team ${team.id}: ${credential.reason}`);
  }
}
