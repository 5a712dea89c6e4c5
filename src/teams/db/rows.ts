/** D1 rows of the team registry (migrations/) and their mapping to records, both ways. */
import { capabilitiesFromJson, capabilitiesToJson, CapabilityError, DEFAULT_CHAT_CAPABILITIES, type ChatCapabilities } from '../../config/chat-capabilities';
import { registryCorrupt } from '../../core/errors';
import { PROVIDER_WIRES } from '../../providers/adapter';
import { PROVIDER_AUTH_KINDS, type ApiKey, type Route, type RouteTarget, type StoredProvider, type Team } from '../model';

/** A stored value the code knows, or a final registry error naming the record: never a silent default. */
function known<T extends string>(values: readonly T[], value: string, what: string): T {
  const found = values.find((candidate) => candidate === value);
  if (found === undefined)
    throw registryCorrupt(`the team registry holds ${what} = "${value}", which this version does not know (expected ${values.join(' or ')})`);
  return found;
}

export interface TeamRow {
  readonly id: string;
  readonly name: string;
  readonly enabled: number;
  readonly max_attempts: number | null;
  readonly retry_budget_ms: number | null;
  readonly headers_timeout_ms: number | null;
  readonly stream_idle_timeout_ms: number | null;
  readonly allowed_models: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly rpm: number | null;
  readonly max_streams: number | null;
}

export interface KeyRow {
  readonly id: string;
  readonly team_id: string;
  readonly name: string | null;
  readonly prefix: string;
  readonly created_at: string;
  readonly expires_at: string | null;
  readonly revoked_at: string | null;
  readonly last_used_at: string | null;
  readonly rpm: number | null;
  readonly max_streams: number | null;
}

export interface ProviderRow {
  readonly id: string;
  readonly team_id: string;
  readonly name: string;
  readonly base_url: string;
  readonly wire_api: string;
  readonly auth: string;
  readonly key_ciphertext: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  /** JSON object of the capability switches that differ from the defaults (0003); NULL: the defaults. */
  readonly capabilities: string | null;
}

export interface RouteRow {
  readonly model: string;
  readonly aliases: string;
  readonly targets: string;
}

function jsonList(text: string | null): unknown[] {
  if (text === null) return [];
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value : [];
}

function strings(text: string | null): string[] {
  return jsonList(text).filter((item): item is string => typeof item === 'string');
}

export function teamFromRow(row: TeamRow): Team {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled === 1,
    overrides: {
      maxAttempts: row.max_attempts,
      budgetMs: row.retry_budget_ms,
      headersMs: row.headers_timeout_ms,
      streamIdleMs: row.stream_idle_timeout_ms,
      rpm: row.rpm,
      maxStreams: row.max_streams,
    },
    allowedModels: row.allowed_models === null ? null : strings(row.allowed_models),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The columns of a team, in the order of TEAM_COLUMNS. */
export function teamValues(team: Team): (string | number | null)[] {
  const { overrides } = team;
  return [
    team.id,
    team.name,
    team.enabled ? 1 : 0,
    overrides.maxAttempts,
    overrides.budgetMs,
    overrides.headersMs,
    overrides.streamIdleMs,
    team.allowedModels === null ? null : JSON.stringify(team.allowedModels),
    team.createdAt,
    team.updatedAt,
    overrides.rpm,
    overrides.maxStreams,
  ];
}

export const TEAM_COLUMNS =
  'id, name, enabled, max_attempts, retry_budget_ms, headers_timeout_ms, stream_idle_timeout_ms, allowed_models, created_at, updated_at, rpm, max_streams';

export function keyFromRow(row: KeyRow): ApiKey {
  return {
    id: row.id,
    teamId: row.team_id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
    limits: { rpm: row.rpm, maxStreams: row.max_streams },
  };
}

export const KEY_COLUMNS = 'id, team_id, name, prefix, created_at, expires_at, revoked_at, last_used_at, rpm, max_streams';

export function providerFromRow(row: ProviderRow): StoredProvider {
  return {
    id: row.id,
    teamId: row.team_id,
    name: row.name,
    baseUrl: row.base_url,
    wireApi: known(PROVIDER_WIRES, row.wire_api, `provider ${row.id}: wire_api`),
    auth: known(PROVIDER_AUTH_KINDS, row.auth, `provider ${row.id}: auth`),
    keyCiphertext: row.key_ciphertext,
    capabilities: storedCapabilities(row),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function storedCapabilities(row: ProviderRow): ChatCapabilities {
  if (row.capabilities === null) return DEFAULT_CHAT_CAPABILITIES;
  try {
    return capabilitiesFromJson(JSON.parse(row.capabilities));
  } catch (err) {
    const why = err instanceof CapabilityError ? err.message : 'not JSON';
    throw registryCorrupt(`the team registry holds provider ${row.id}: capabilities = ${row.capabilities}, which this version cannot read (${why})`);
  }
}

export const PROVIDER_COLUMNS = 'id, team_id, name, base_url, wire_api, auth, key_ciphertext, created_at, updated_at, capabilities';

export function providerValues(provider: StoredProvider): (string | null)[] {
  const { id, teamId, name, baseUrl, wireApi, auth, keyCiphertext, createdAt, updatedAt } = provider;
  const changed = capabilitiesToJson(provider.capabilities);
  return [id, teamId, name, baseUrl, wireApi, auth, keyCiphertext, createdAt, updatedAt, Object.keys(changed).length === 0 ? null : JSON.stringify(changed)];
}

function routeTarget(item: unknown): RouteTarget | null {
  if (typeof item !== 'object' || item === null) return null;
  const { provider, model } = item as Record<string, unknown>;
  return typeof provider === 'string' ? { provider, model: typeof model === 'string' ? model : null } : null;
}

export function routeFromRow(row: RouteRow): Route {
  return {
    model: row.model,
    aliases: strings(row.aliases),
    targets: jsonList(row.targets)
      .map(routeTarget)
      .filter((target): target is RouteTarget => target !== null),
  };
}
