/**
 * The admin API from a terminal: `npm run admin -- teams create --name acme` and the like
 * (`npm run admin -- help` lists every command). Reads CODEX_EDGE_URL (the gateway, default
 * http://127.0.0.1:8787) and ADMIN_TOKEN; `codex-config` uses a team key from
 * CODEX_EDGE_API_KEY instead. Prints the API's JSON answer (or the config.toml text); exits 1
 * with the API's error message on a refusal.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { CliError, parseAdminCommand, USAGE, type ApiCall } from './lib/admin-cli';

function secretFor(call: ApiCall): string {
  const name = call.auth === 'admin' ? 'ADMIN_TOKEN' : 'CODEX_EDGE_API_KEY';
  const value = process.env[name]?.trim();
  if (!value) throw new CliError(`${name} is not set`);
  return value;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 0 || ['help', '--help', '-h'].includes(argv[0] ?? '')) {
    console.log(USAGE);
    return argv.length === 0 ? 1 : 0;
  }
  const call = parseAdminCommand(argv, { env: process.env, now: new Date(), readFile: (path) => readFileSync(path, 'utf8') });
  const base = (process.env['CODEX_EDGE_URL'] ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
  const response = await fetch(`${base}${call.path}`, {
    method: call.method,
    headers: {
      authorization: `Bearer ${secretFor(call)}`,
      'x-admin-actor': process.env['CODEX_EDGE_ACTOR'] ?? userInfo().username,
      ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: call.body === undefined ? null : JSON.stringify(call.body),
  });
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      const error = (JSON.parse(text) as { error?: { message?: string; param?: string | null } }).error;
      message = `${error?.message ?? text}${error?.param ? ` (field: ${error.param})` : ''}`;
    } catch {
      // not JSON: print it as it came
    }
    console.error(`error: ${response.status} ${message}`);
    return 1;
  }
  if (call.output === 'text') {
    process.stdout.write(text);
    return 0;
  }
  console.log(JSON.stringify(JSON.parse(text), null, 2));
  if (call.method === 'POST' && call.path.endsWith('/keys')) console.error('note: the key above is shown once; it cannot be read back.');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    if (err instanceof CliError) console.error(`\n${USAGE}`);
    process.exit(1);
  },
);
