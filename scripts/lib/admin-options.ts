/**
 * The admin CLI's options (node:util parseArgs) and the request bodies they make: team fields and
 * limits, a key's expiry and limits, a provider (its upstream key read from the environment
 * variable --api-key-env names, never from the command line), routes (--route specs or --file).
 * Only shapes the values: the server validates them.
 */
import { capabilitiesToJson, CapabilityError, parseCapabilityList } from '../../src/config/chat-capabilities';
import { CliError, type CliContext } from './admin-call';

export const OPTIONS = {
  name: { type: 'string' },
  id: { type: 'string' },
  enabled: { type: 'string' },
  'max-attempts': { type: 'string' },
  'retry-budget-ms': { type: 'string' },
  'headers-timeout-ms': { type: 'string' },
  'stream-idle-timeout-ms': { type: 'string' },
  'allowed-models': { type: 'string' },
  rpm: { type: 'string' },
  'max-streams': { type: 'string' },
  'expires-at': { type: 'string' },
  'expires-in-days': { type: 'string' },
  'base-url': { type: 'string' },
  'wire-api': { type: 'string' },
  'api-key-env': { type: 'string' },
  'client-key': { type: 'boolean' },
  capabilities: { type: 'string' },
  route: { type: 'string', multiple: true },
  file: { type: 'string' },
  team: { type: 'string' },
  limit: { type: 'string' },
  before: { type: 'string' },
  model: { type: 'string' },
  out: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export type Option = keyof typeof OPTIONS;
export type Values = {
  [K in Option]?: (typeof OPTIONS)[K] extends { multiple: true } ? string[] : (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

const TEAM_NUMBERS: readonly (readonly [Option, string])[] = [
  ['max-attempts', 'max_attempts'],
  ['retry-budget-ms', 'retry_budget_ms'],
  ['headers-timeout-ms', 'headers_timeout_ms'],
  ['stream-idle-timeout-ms', 'stream_idle_timeout_ms'],
  ['rpm', 'rpm'],
  ['max-streams', 'max_streams'],
];
/** A key's own limits. */
const KEY_NUMBERS: readonly (readonly [Option, string])[] = [
  ['rpm', 'rpm'],
  ['max-streams', 'max_streams'],
];
export const TEAM_OPTIONS: readonly Option[] = ['name', 'enabled', 'allowed-models', ...TEAM_NUMBERS.map(([option]) => option)];

/** A number where the text is one, so that the server can say what is wrong with anything else; "none" clears. */
function numberOrNull(text: string): number | string | null {
  if (text === 'none') return null;
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

function list(text: string): string[] | null {
  return text === 'none'
    ? null
    : text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
}

/** The numeric options given, under their API field names. */
function numbers(values: Values, options: readonly (readonly [Option, string])[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [option, field] of options) {
    const value = values[option];
    if (typeof value === 'string') body[field] = numberOrNull(value);
  }
  return body;
}

export function teamBody(values: Values): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (values.name !== undefined) body['name'] = values.name;
  if (values.enabled !== undefined) body['enabled'] = values.enabled === 'true' ? true : values.enabled === 'false' ? false : values.enabled;
  Object.assign(body, numbers(values, TEAM_NUMBERS));
  if (values['allowed-models'] !== undefined) body['allowed_models'] = list(values['allowed-models']);
  return body;
}

/** `gpt-5,fast=primary(gpt-5-2025),backup` → {model, aliases, targets}. */
export function parseRouteSpec(spec: string): Record<string, unknown> {
  const at = spec.indexOf('=');
  if (at < 0) throw new CliError(`--route "${spec}": expected <model>[,<alias>...]=<provider>[(<upstream model>)][,...]`);
  const [model, ...aliases] = spec
    .slice(0, at)
    .split(',')
    .map((name) => name.trim());
  const targets = spec
    .slice(at + 1)
    .split(',')
    .map((target) => target.trim())
    .map((target) => {
      const match = /^([^()\s]+)(?:\(([^()\s]+)\))?$/.exec(target);
      if (match === null) throw new CliError(`--route "${spec}": "${target}" is not <provider> or <provider>(<upstream model>)`);
      return match[2] === undefined ? { provider: match[1] } : { provider: match[1], model: match[2] };
    });
  return { model, ...(aliases.length > 0 ? { aliases } : {}), targets };
}

export function providerBody(values: Values, ctx: CliContext): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (values.name !== undefined) body['name'] = values.name;
  if (values['base-url'] !== undefined) body['base_url'] = values['base-url'];
  if (values['wire-api'] !== undefined) body['wire_api'] = values['wire-api'];
  const keyEnv = values['api-key-env'];
  if (keyEnv !== undefined && values['client-key'] === true) throw new CliError('--api-key-env and --client-key exclude each other');
  if (values['client-key'] === true) body['auth'] = 'client';
  if (keyEnv !== undefined) {
    const key = ctx.env[keyEnv];
    if (key === undefined || key === '') throw new CliError(`--api-key-env ${keyEnv}: the environment variable ${keyEnv} is not set`);
    body['auth'] = 'key';
    body['api_key'] = key;
  }
  const capabilities = values.capabilities;
  if (capabilities !== undefined) body['capabilities'] = capabilitiesBody(capabilities);
  return body;
}

/** The --capabilities list as the admin API's object (null: back to the defaults). */
function capabilitiesBody(list: string): Record<string, unknown> | null {
  if (list.trim() === 'default') return null;
  try {
    return capabilitiesToJson(parseCapabilityList(list));
  } catch (err) {
    if (err instanceof CapabilityError) throw new CliError(`--capabilities: ${err.message}`);
    throw err;
  }
}

export function keyBody(values: Values, ctx: CliContext): Record<string, unknown> {
  const days = values['expires-in-days'];
  if (days !== undefined && values['expires-at'] !== undefined) throw new CliError('--expires-at and --expires-in-days exclude each other');
  if (days !== undefined && !/^\d+$/.test(days)) throw new CliError(`--expires-in-days must be a whole number of days, got "${days}"`);
  const expiresAt = days === undefined ? values['expires-at'] : new Date(ctx.now.getTime() + Number(days) * 86_400_000).toISOString();
  return {
    ...(values.name === undefined ? {} : { name: values.name }),
    ...(expiresAt === undefined ? {} : { expires_at: expiresAt }),
    ...numbers(values, KEY_NUMBERS),
  };
}

export function routesBody(values: Values, ctx: CliContext): Record<string, unknown> {
  if (values.file !== undefined && values.route !== undefined) throw new CliError('--file and --route exclude each other');
  if (values.file !== undefined) {
    const parsed: unknown = JSON.parse(ctx.readFile(values.file));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new CliError(`--file ${values.file}: expected {"routes": [...]}`);
    return parsed as Record<string, unknown>;
  }
  return { routes: (values.route ?? []).map(parseRouteSpec) };
}
