/**
 * `npm run dev [-- <wrangler dev flags>]`: the gateway under `wrangler dev --env hosted` on
 * 127.0.0.1:8787 (wrangler.toml [dev]) with the local team registry. First applies the
 * migrations to the local D1 (.wrangler/state) without asking, then runs wrangler dev in the
 * foreground, quiet and offline: no telemetry, no Cloudflare look-ups (scripts/lib/wrangler.ts).
 * Extra arguments go to wrangler dev, e.g. `-- --var UPSTREAM_BASE_URL:http://127.0.0.1:9000/v1`.
 */
import { spawn } from 'node:child_process';
import { quietWranglerEnv, REPO_ROOT, runWrangler, wranglerCommand } from './lib/wrangler';

/** The migrations a `d1 migrations apply` run reports as applied (its table rows with ✅). */
function appliedMigrations(output: string): string[] {
  // wrangler prints the table again as it goes: each name once.
  return [...new Set([...output.matchAll(/(\S+\.sql)\s*│\s*✅/g)].map((match) => match[1] ?? ''))];
}

async function migrate(): Promise<void> {
  const result = await runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--env', 'hosted']);
  const applied = appliedMigrations(result.stdout);
  console.log(`local team registry (.wrangler/state): ${applied.length === 0 ? 'migrations up to date' : `applied ${applied.join(', ')}`}`);
}

function serve(args: readonly string[]): Promise<number> {
  const [command, commandArgs] = wranglerCommand(['dev', '--env', 'hosted', ...args]);
  const child = spawn(command, commandArgs, { cwd: REPO_ROOT, env: quietWranglerEnv(), stdio: 'inherit' });
  // Ctrl-C reaches wrangler too (same process group): wait for it to stop. SIGTERM is passed on.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 0)));
  });
}

try {
  await migrate();
  process.exitCode = await serve(process.argv.slice(2));
} catch (err) {
  console.error(`npm run dev: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
