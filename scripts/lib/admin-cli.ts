/**
 * Pure: `npm run admin -- <resource> <action> [args]` → the admin API request it stands for,
 * or, for a key named by its visible prefix, the lookup that finds its id first.
 * The server validates every value (and answers field-level 400s); the CLI only shapes the
 * request. Upstream keys never go on the command line: `--api-key-env NAME` names an
 * environment variable that holds one.
 * Here: the usage text, the command table and the parse. What a command becomes: admin-call.ts;
 * its options and request bodies: admin-options.ts; revoking a key by its prefix: admin-keys.ts.
 */
import { parseArgs } from 'node:util';
import { admin, CliError, enc, type CliContext, type CliStep } from './admin-call';
import { revokeKey } from './admin-keys';
import { keyBody, OPTIONS, providerBody, routesBody, TEAM_OPTIONS, teamBody, type Option, type Values } from './admin-options';

export { CliError, type ApiCall, type CliContext, type CliStep, type Lookup } from './admin-call';
export { keyIdByPrefix } from './admin-keys';
export { parseRouteSpec } from './admin-options';

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
