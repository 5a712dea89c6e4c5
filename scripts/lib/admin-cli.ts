/**
 * Pure: `npm run admin -- <resource> <action> [args]` → the admin API request it stands for,
 * or, for a key named by its visible prefix, the lookup that finds its id first.
 * The server validates every value (and answers field-level 400s); the CLI only shapes the
 * request. Upstream keys never go on the command line: `--api-key-env NAME` names an
 * environment variable that holds one.
 */
import { parseArgs } from 'node:util';
import { capabilitiesToJson, CapabilityError, parseCapabilityList } from '../../src/config/chat-capabilities';

export class CliError extends Error {}

export interface ApiCall {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly body?: Record<string, unknown>;
  /** Which secret authorises it: ADMIN_TOKEN, or a team key (CODEX_EDGE_API_KEY). */
  readonly auth: 'admin' | 'team';
  /** How to print the answer: JSON, the raw text (config.toml), or a usage answer as a table. */
  readonly output: 'json' | 'text' | 'usage-table';
  /** Write the (text) answer to this new file instead of stdout. */
  readonly out?: string;
}

/** A GET whose JSON answer decides the call to make (a key given by its prefix → its id). */
export interface Lookup {
  readonly lookup: string;
  /** The call the answer leads to; throws a CliError when it leads to none. */
  readonly then: (answer: unknown) => ApiCall;
}

export type CliStep = ApiCall | Lookup;

export interface CliContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: Date;
  readonly readFile: (path: string) => string;
}

export const USAGE = `usage: npm run -s admin -- <command>   (env: CODEX_EDGE_URL, ADMIN_TOKEN)

  teams list | get <team> | create --name <name> [--id <id>] [team options]
  teams update <team> [--name <name>] [--enabled true|false] [team options]
  teams disable <team> | enable <team>
    team options: --max-attempts N  --retry-budget-ms N  --headers-timeout-ms N
                  --stream-idle-timeout-ms N  --allowed-models a,b*
                  --rpm N  --max-streams N             (none: back to the default)
  keys list <team> | create <team> [--name <name>] [--expires-at <RFC 3339> | --expires-in-days N]
                                   [--rpm N] [--max-streams N]   (the key's own limits, within its team's)
  keys revoke <team> <key-id | prefix>          (the prefix as lists and messages show it: cxe_...)
  providers list <team> | get <team> <name> | delete <team> <name>
  providers create <team> --name <name> --base-url <url> --wire-api responses|chat
                   (--api-key-env <VAR> | --client-key)
  providers update <team> <name> [--base-url <url>] [--wire-api ...] [--api-key-env <VAR> | --client-key]
    provider option: --capabilities <list>  a chat provider's switches, as UPSTREAM_CHAT_CAPABILITIES
                     spells them: developer_role,reasoning_effort=low|high,stream_usage=false
                     ("default": back to the defaults; README: Providers)
  routes get <team>
  routes set <team> --route '<model>[,<alias>...]=<provider>[(<upstream model>)][,<provider>...]' ...
  routes set <team> --file routes.json          ({"routes": [...]} as the admin API takes it)
  audit [--team <team>] [--limit N] [--before <id>]
  usage <team> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]   (default: the last 30 days; a table, or the API's JSON)
  codex-config [--model <model>] [--out <file>] (with a team key in CODEX_EDGE_API_KEY; --out writes a new file)`;

const OPTIONS = {
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

type Option = keyof typeof OPTIONS;
type Values = { [K in Option]?: (typeof OPTIONS)[K] extends { multiple: true } ? string[] : (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

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
const TEAM_OPTIONS: readonly Option[] = ['name', 'enabled', 'allowed-models', ...TEAM_NUMBERS.map(([option]) => option)];

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

function teamBody(values: Values): Record<string, unknown> {
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

function providerBody(values: Values, ctx: CliContext): Record<string, unknown> {
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

function keyBody(values: Values, ctx: CliContext): Record<string, unknown> {
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

function routesBody(values: Values, ctx: CliContext): Record<string, unknown> {
  if (values.file !== undefined && values.route !== undefined) throw new CliError('--file and --route exclude each other');
  if (values.file !== undefined) {
    const parsed: unknown = JSON.parse(ctx.readFile(values.file));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new CliError(`--file ${values.file}: expected {"routes": [...]}`);
    return parsed as Record<string, unknown>;
  }
  return { routes: (values.route ?? []).map(parseRouteSpec) };
}

const enc = encodeURIComponent;

/** The path with a query of the parameters given. */
function withQuery(path: string, params: Readonly<Record<string, string | undefined>>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, value);
  const search = query.toString();
  return search === '' ? path : `${path}?${search}`;
}

/** The positional arguments a command takes, by name, and the options it accepts. */
interface Command {
  readonly args: readonly string[];
  readonly options: readonly Option[];
  readonly call: (args: Readonly<Record<string, string>>, values: Values, ctx: CliContext) => CliStep;
}

const admin = (method: ApiCall['method'], path: string, body?: Record<string, unknown>): ApiCall => ({
  method,
  path: `/admin${path}`,
  auth: 'admin',
  output: 'json',
  ...(body === undefined ? {} : { body }),
});

interface ListedKey {
  readonly id: string;
  readonly prefix: string;
}

function listedKeys(answer: unknown): ListedKey[] {
  const data = typeof answer === 'object' && answer !== null && 'data' in answer && Array.isArray(answer.data) ? (answer.data as unknown[]) : [];
  return data.flatMap((item) =>
    typeof item === 'object' && item !== null && 'id' in item && 'prefix' in item && typeof item.id === 'string' && typeof item.prefix === 'string'
      ? [{ id: item.id, prefix: item.prefix }]
      : [],
  );
}

/** Pure: the id of the one key of `team` that `given` names by its visible prefix (or by the whole key); a CliError otherwise. */
export function keyIdByPrefix(team: string, given: string, answer: unknown): string {
  const matches = listedKeys(answer).filter((key) => key.prefix.startsWith(given) || given.startsWith(key.prefix));
  const [only] = matches;
  if (only !== undefined && matches.length === 1) return only.id;
  if (matches.length === 0)
    throw new CliError(`keys revoke: no key of team "${team}" has the prefix "${given}" (keys list ${team} shows every key's id and prefix)`);
  const named = matches.map((key) => `${key.id} (${key.prefix})`).join(', ');
  throw new CliError(`keys revoke: ${matches.length} keys of team "${team}" match "${given}": ${named}; give the key id or a longer prefix`);
}

/** `keys revoke`: by id at once; by prefix (cxe_...) after listing the team's keys. */
function revokeKey(team: string, given: string): CliStep {
  const path = (id: string): string => `/teams/${enc(team)}/keys/${enc(id)}/revoke`;
  if (!given.startsWith('cxe_')) return admin('POST', path(given));
  return { lookup: `/admin/teams/${enc(team)}/keys`, then: (answer) => admin('POST', path(keyIdByPrefix(team, given, answer))) };
}

const COMMANDS: Readonly<Record<string, Command>> = {
  'teams list': { args: [], options: [], call: () => admin('GET', '/teams') },
  'teams get': { args: ['team'], options: [], call: (a) => admin('GET', `/teams/${enc(a['team'] ?? '')}`) },
  'teams create': {
    args: [],
    options: ['id', ...TEAM_OPTIONS],
    call: (_a, v) => admin('POST', '/teams', { ...(v.id === undefined ? {} : { id: v.id }), ...teamBody(v) }),
  },
  'teams update': { args: ['team'], options: TEAM_OPTIONS, call: (a, v) => admin('PATCH', `/teams/${enc(a['team'] ?? '')}`, teamBody(v)) },
  'teams disable': { args: ['team'], options: [], call: (a) => admin('PATCH', `/teams/${enc(a['team'] ?? '')}`, { enabled: false }) },
  'teams enable': { args: ['team'], options: [], call: (a) => admin('PATCH', `/teams/${enc(a['team'] ?? '')}`, { enabled: true }) },
  'keys list': { args: ['team'], options: [], call: (a) => admin('GET', `/teams/${enc(a['team'] ?? '')}/keys`) },
  'keys create': {
    args: ['team'],
    options: ['name', 'expires-at', 'expires-in-days', 'rpm', 'max-streams'],
    call: (a, v, ctx) => admin('POST', `/teams/${enc(a['team'] ?? '')}/keys`, keyBody(v, ctx)),
  },
  'keys revoke': { args: ['team', 'key-id|prefix'], options: [], call: (a) => revokeKey(a['team'] ?? '', a['key-id|prefix'] ?? '') },
  'providers list': { args: ['team'], options: [], call: (a) => admin('GET', `/teams/${enc(a['team'] ?? '')}/providers`) },
  'providers get': { args: ['team', 'name'], options: [], call: (a) => admin('GET', `/teams/${enc(a['team'] ?? '')}/providers/${enc(a['name'] ?? '')}`) },
  'providers delete': { args: ['team', 'name'], options: [], call: (a) => admin('DELETE', `/teams/${enc(a['team'] ?? '')}/providers/${enc(a['name'] ?? '')}`) },
  'providers create': {
    args: ['team'],
    options: ['name', 'base-url', 'wire-api', 'api-key-env', 'client-key', 'capabilities'],
    call: (a, v, ctx) => admin('POST', `/teams/${enc(a['team'] ?? '')}/providers`, providerBody(v, ctx)),
  },
  'providers update': {
    args: ['team', 'name'],
    options: ['base-url', 'wire-api', 'api-key-env', 'client-key', 'capabilities'],
    call: (a, v, ctx) => admin('PATCH', `/teams/${enc(a['team'] ?? '')}/providers/${enc(a['name'] ?? '')}`, providerBody(v, ctx)),
  },
  'routes get': { args: ['team'], options: [], call: (a) => admin('GET', `/teams/${enc(a['team'] ?? '')}/routes`) },
  'routes set': { args: ['team'], options: ['route', 'file'], call: (a, v, ctx) => admin('PUT', `/teams/${enc(a['team'] ?? '')}/routes`, routesBody(v, ctx)) },
  audit: {
    args: [],
    options: ['team', 'limit', 'before'],
    call: (_a, v) => admin('GET', withQuery('/audit', { team: v.team, limit: v.limit, before: v.before })),
  },
  usage: {
    args: ['team'],
    options: ['from', 'to', 'json'],
    call: (a, v) => ({
      ...admin('GET', withQuery(`/teams/${enc(a['team'] ?? '')}/usage`, { from: v.from, to: v.to })),
      output: v.json === true ? 'json' : 'usage-table',
    }),
  },
  'codex-config': {
    args: [],
    options: ['model', 'out'],
    call: (_a, v) => ({
      method: 'GET',
      path: `/v1/codex-config${v.model === undefined ? '' : `?model=${enc(v.model)}`}`,
      auth: 'team',
      output: 'text',
      ...(v.out === undefined ? {} : { out: v.out }),
    }),
  },
};

export function parseAdminCommand(argv: readonly string[], ctx: CliContext): CliStep {
  let parsed: { values: Values; positionals: string[] };
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    parsed = { values, positionals };
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  const [first = '', second = ''] = positionals;
  const key = COMMANDS[`${first} ${second}`] !== undefined ? `${first} ${second}` : first;
  const command = COMMANDS[key];
  if (command === undefined) throw new CliError(`unknown command "${positionals.join(' ')}"`);
  const rest = positionals.slice(key.split(' ').length);
  if (rest.length !== command.args.length) throw new CliError(`${key} takes ${command.args.map((arg) => `<${arg}>`).join(' ') || 'no arguments'}`);
  const extra = (Object.keys(values) as Option[]).filter((option) => !command.options.includes(option));
  if (extra.length > 0) throw new CliError(`${key} does not take ${extra.map((option) => `--${option}`).join(', ')}`);
  const args = Object.fromEntries(command.args.map((name, index) => [name, rest[index] ?? '']));
  return command.call(args, values, ctx);
}
