/**
 * The admin API from a terminal: `npm run admin -- teams create --name acme` and the like
 * (`npm run admin -- help` lists every command). Reads CODEX_EDGE_URL (the gateway, default
 * http://127.0.0.1:8787) and ADMIN_TOKEN; `codex-config` sends a key from CODEX_EDGE_API_KEY
 * instead (a team key; on a single-upstream gateway, none or a gateway key). Prints the API's
 * JSON answer (or the config.toml text, or writes it to a new file with --out); exits 1 with one
 * line saying what went wrong.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { CliError, parseAdminCommand, USAGE, type CliStep } from './lib/admin-cli';
import { send } from './lib/admin-client';
import { formatUsage } from './lib/usage-table';

/** The command line as a step to send; a usage error is printed with the hint where help is. */
function parse(argv: readonly string[]): CliStep | null {
  try {
    return parseAdminCommand(argv, { env: process.env, now: new Date(), readFile: (path) => readFileSync(path, 'utf8') });
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    console.error(`error: ${err.message}\nrun with --help for usage`);
    return null;
  }
}

/** `--out FILE`: the answer as a new file, never over an existing one (a config.toml, say). */
function writeNew(path: string, text: string): number {
  try {
    writeFileSync(path, text, { flag: 'wx' });
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'EEXIST') {
      console.error(
        `error: ${path} exists; --out writes a new file only. Choose another name, or paste the block into your config.toml (model and ` +
          `model_provider above any [table])`,
      );
      return 1;
    }
    throw err;
  }
  console.error(`wrote ${path}`);
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 0 || ['help', '--help', '-h'].includes(argv[0] ?? '')) {
    console.log(USAGE);
    return argv.length === 0 ? 1 : 0;
  }
  const step = parse(argv);
  if (step === null) return 1;
  const { call, text } = await send(step, {
    baseUrl: (process.env['CODEX_EDGE_URL'] ?? 'http://127.0.0.1:8787').replace(/\/+$/, ''),
    env: process.env,
    actor: process.env['CODEX_EDGE_ACTOR'] ?? userInfo().username,
    fetch,
  });
  if (call.out !== undefined) return writeNew(call.out, text);
  if (call.output === 'text') {
    process.stdout.write(text);
    return 0;
  }
  if (call.output === 'usage-table') {
    process.stdout.write(formatUsage(JSON.parse(text) as unknown));
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
    process.exit(1);
  },
);
