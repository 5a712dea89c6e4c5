/**
 * Pure: the admin API's inputs, checked and normalised. Each function takes the parsed JSON body
 * and returns a typed value, or throws a 400 GatewayError naming the field (see fields.ts).
 * Secrets pass through these functions but never appear in an error message.
 */
import { checkBaseUrl } from '../config/base-url';
import { capabilitiesFromJson, CapabilityError, DEFAULT_CHAT_CAPABILITIES, type ChatCapabilities } from '../config/chat-capabilities';
import { LIMIT_SETTINGS, NUMBER_SETTINGS } from '../config/tunables';
import type { RequestLimits } from '../upstream/limiter';
import { fieldError, Fields, type TextRule } from './fields';
import { PROVIDER_WIRES } from '../providers/adapter';
import { PROVIDER_AUTH_KINDS, type ProviderAuthKind, type ProviderWire, type Route, type RouteTarget, type TeamOverrides } from './model';
import { isPattern } from './routing';

const PRINTABLE = /^[!-~]+$/;
const TEAM_ID: TextRule = { max: 63, pattern: /^[a-z0-9][a-z0-9_-]*$/, hint: 'must be lowercase letters, digits, "-" or "_", starting with a letter or digit' };
const NAME: TextRule = { max: 200 };
const PROVIDER_NAME: TextRule = {
  max: 63,
  pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
  hint: 'must be letters, digits, ".", "-" or "_", starting with a letter or digit',
};
/** Printable ASCII but space and `*` (0x2A): the ranges !-) and +-~. */
const MODEL_NAME: TextRule = { max: 200, pattern: /^[!-)+-~]+$/, hint: 'must be printable ASCII without spaces or "*"' };
const MODEL_OR_PATTERN: TextRule = { max: 200, pattern: PRINTABLE, hint: 'must be printable ASCII without spaces; "*" matches any characters' };
const SECRET: TextRule = { max: 4096, pattern: PRINTABLE, hint: 'must be printable ASCII without spaces' };
const BASE_URL: TextRule = { max: 2048 };
const MAX_ROUTES = 500;
const MAX_ALIASES = 50;
const MAX_TARGETS = 10;
const MAX_ALLOWED_MODELS = 200;

/** Team overrides as the API names them, and the deployment setting each one overrides (for its range). */
const OVERRIDE_FIELDS = {
  max_attempts: { key: 'maxAttempts', setting: NUMBER_SETTINGS.maxAttempts },
  retry_budget_ms: { key: 'budgetMs', setting: NUMBER_SETTINGS.budgetMs },
  headers_timeout_ms: { key: 'headersMs', setting: NUMBER_SETTINGS.headersMs },
  stream_idle_timeout_ms: { key: 'streamIdleMs', setting: NUMBER_SETTINGS.streamIdleMs },
  rpm: { key: 'rpm', setting: LIMIT_SETTINGS.rpm },
  max_streams: { key: 'maxStreams', setting: LIMIT_SETTINGS.maxStreams },
} as const satisfies Record<string, { key: keyof TeamOverrides; setting: { min: number; max: number } }>;

type OverrideField = keyof typeof OVERRIDE_FIELDS;
const OVERRIDE_NAMES = Object.keys(OVERRIDE_FIELDS) as OverrideField[];

export interface TeamPatch {
  readonly name?: string;
  readonly enabled?: boolean;
  readonly overrides: Partial<Record<keyof TeamOverrides, number | null>>;
  readonly allowedModels?: readonly string[] | null;
}

export interface TeamInput extends TeamPatch {
  readonly id?: string;
  readonly name: string;
}

function teamFields(fields: Fields): TeamPatch {
  const overrides: Partial<Record<keyof TeamOverrides, number | null>> = {};
  for (const field of OVERRIDE_NAMES) {
    const { key, setting } = OVERRIDE_FIELDS[field];
    const value = fields.nullableInteger(field, setting);
    if (value !== undefined) overrides[key] = value;
  }
  const name = fields.optionalText('name', NAME);
  const enabled = fields.optionalBoolean('enabled');
  const allowedModels = fields.nullableTextList('allowed_models', MAX_ALLOWED_MODELS, MODEL_OR_PATTERN);
  return {
    overrides,
    ...(name === undefined ? {} : { name }),
    ...(enabled === undefined ? {} : { enabled }),
    ...(allowedModels === undefined ? {} : { allowedModels }),
  };
}

export function validateTeamCreate(body: unknown): TeamInput {
  const fields = Fields.of(body, '').only(['id', 'name', 'enabled', 'allowed_models', ...OVERRIDE_NAMES]);
  const id = fields.optionalText('id', TEAM_ID);
  return { ...teamFields(fields), name: fields.requiredText('name', NAME), ...(id === undefined ? {} : { id }) };
}

export function validateTeamPatch(body: unknown): TeamPatch {
  return teamFields(Fields.of(body, '').only(['name', 'enabled', 'allowed_models', ...OVERRIDE_NAMES], true));
}

/** The API's names for a team's override fields, for responses. */
export function overridesForApi(overrides: TeamOverrides): Record<OverrideField, number | null> {
  return {
    max_attempts: overrides.maxAttempts,
    retry_budget_ms: overrides.budgetMs,
    headers_timeout_ms: overrides.headersMs,
    stream_idle_timeout_ms: overrides.streamIdleMs,
    rpm: overrides.rpm,
    max_streams: overrides.maxStreams,
  };
}

export interface KeyInput {
  readonly name: string | null;
  readonly expiresAt: string | null;
  readonly limits: RequestLimits;
}

export function validateKeyCreate(body: unknown, now: Date): KeyInput {
  const fields = Fields.of(body, '').only(['name', 'expires_at', 'rpm', 'max_streams']);
  const limits: RequestLimits = {
    rpm: fields.nullableInteger('rpm', LIMIT_SETTINGS.rpm) ?? null,
    maxStreams: fields.nullableInteger('max_streams', LIMIT_SETTINGS.maxStreams) ?? null,
  };
  const expires = fields.nullableText('expires_at', { max: 64 }) ?? null;
  let expiresAt: string | null = null;
  if (expires !== null) {
    const time = /^\d{4}-\d{2}-\d{2}T/.test(expires) ? Date.parse(expires) : Number.NaN;
    if (Number.isNaN(time)) throw fieldError('expires_at', 'must be an RFC 3339 time, e.g. 2030-01-31T00:00:00Z');
    if (time <= now.getTime()) throw fieldError('expires_at', 'must be in the future');
    expiresAt = new Date(time).toISOString();
  }
  return { name: fields.nullableText('name', NAME) ?? null, expiresAt, limits };
}

export interface ProviderPatch {
  readonly baseUrl?: string;
  readonly wireApi?: ProviderWire;
  readonly auth?: ProviderAuthKind;
  /** The upstream key to store (write-only). */
  readonly apiKey?: string;
  /** A chat provider's capability switches (null in the request: back to the defaults). */
  readonly capabilities?: ChatCapabilities;
}

export interface ProviderInput extends ProviderPatch {
  readonly name: string;
  readonly baseUrl: string;
  readonly wireApi: ProviderWire;
  readonly auth: ProviderAuthKind;
}

function providerFields(fields: Fields): ProviderPatch {
  const raw = fields.optionalText('base_url', BASE_URL);
  let baseUrl: string | undefined;
  if (raw !== undefined) {
    const checked = checkBaseUrl(raw);
    if (!checked.ok) throw fieldError('base_url', checked.problem);
    baseUrl = checked.url.toString().replace(/\/+$/, '');
  }
  const wireApi = fields.oneOf('wire_api', PROVIDER_WIRES);
  const auth = fields.oneOf('auth', PROVIDER_AUTH_KINDS);
  const apiKey = fields.optionalText('api_key', SECRET);
  const capabilities = providerCapabilities(fields);
  return {
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(wireApi === undefined ? {} : { wireApi }),
    ...(auth === undefined ? {} : { auth }),
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(capabilities === undefined ? {} : { capabilities }),
  };
}

/** The `capabilities` object (README: Providers); null: the defaults. */
function providerCapabilities(fields: Fields): ChatCapabilities | undefined {
  const raw = fields.raw('capabilities');
  if (raw === undefined) return undefined;
  if (raw === null) return DEFAULT_CHAT_CAPABILITIES;
  try {
    return capabilitiesFromJson(raw);
  } catch (err) {
    if (err instanceof CapabilityError) throw fieldError('capabilities', err.message);
    throw err;
  }
}

export function validateProviderCreate(body: unknown): ProviderInput {
  const fields = Fields.of(body, '').only(['name', 'base_url', 'wire_api', 'auth', 'api_key', 'capabilities']);
  const name = fields.requiredText('name', PROVIDER_NAME);
  for (const key of ['base_url', 'wire_api', 'auth']) if (!fields.has(key)) throw fieldError(key, 'is required', 'missing_field');
  const patch = providerFields(fields);
  const { baseUrl, wireApi, auth } = patch;
  if (baseUrl === undefined || wireApi === undefined || auth === undefined) throw fieldError('auth', 'is required', 'missing_field');
  checkProviderAuth(auth, patch.apiKey !== undefined, false);
  return { ...patch, name, baseUrl, wireApi, auth };
}

export function validateProviderPatch(body: unknown): ProviderPatch {
  return providerFields(Fields.of(body, '').only(['base_url', 'wire_api', 'auth', 'api_key', 'capabilities'], true));
}

/** A key-auth provider needs a key (given now or stored before); a client-auth provider must not get one. */
export function checkProviderAuth(auth: ProviderAuthKind, keyGiven: boolean, keyStored: boolean): void {
  if (auth === 'client' && keyGiven) throw fieldError('api_key', 'must not be set when "auth" is "client" (the client\'s own key goes upstream)');
  if (auth === 'key' && !keyGiven && !keyStored) throw fieldError('api_key', 'is required when "auth" is "key"', 'missing_field');
}

/** The whole route table of a team; provider names must be among the team's providers. */
export function validateRoutes(body: unknown, providers: ReadonlySet<string>): Route[] {
  const list = Fields.of(body, '').only(['routes']).optionalList('routes', MAX_ROUTES);
  if (list === undefined) throw fieldError('routes', 'is required', 'missing_field');
  const seen = new Map<string, string>();
  return list.map((item, index) => {
    const route = validateRoute(Fields.of(item, `routes[${index}]`), providers);
    for (const [name, param] of [route.model, ...route.aliases].map(
      (name, n) => [name, n === 0 ? `routes[${index}].model` : `routes[${index}].aliases[${n - 1}]`] as const,
    )) {
      const earlier = seen.get(name);
      if (earlier !== undefined) throw fieldError(param, `repeats "${name}", already routed by ${earlier}`, 'duplicate_model');
      seen.set(name, param);
    }
    return route;
  });
}

function validateRoute(fields: Fields, providers: ReadonlySet<string>): Route {
  fields.only(['model', 'aliases', 'targets']);
  const model = fields.requiredText('model', MODEL_OR_PATTERN);
  const aliases = fields.nullableTextList('aliases', MAX_ALIASES, MODEL_NAME) ?? [];
  if (isPattern(model) && aliases.length > 0) throw fieldError(fields.param('aliases'), 'are not allowed on a pattern route; give the alias its own route');
  const items = fields.optionalList('targets', MAX_TARGETS);
  if (items === undefined || items.length === 0) throw fieldError(fields.param('targets'), 'must list at least one provider', 'missing_field');
  const targets = items.map((item, index): RouteTarget => {
    const target = Fields.of(item, `${fields.param('targets')}[${index}]`).only(['provider', 'model']);
    const provider = target.requiredText('provider', PROVIDER_NAME);
    if (!providers.has(provider)) throw fieldError(target.param('provider'), `names no provider of this team: "${provider}"`, 'unknown_provider');
    return { provider, model: target.nullableText('model', MODEL_NAME) ?? null };
  });
  const names = targets.map((target) => target.provider);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) throw fieldError(fields.param('targets'), `lists provider "${repeated}" twice`);
  return { model, aliases, targets };
}
