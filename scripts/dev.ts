/**
 * `npm run dev [-- <wrangler dev flags>]`: the gateway under `wrangler dev --env hosted` on
 * 127.0.0.1:8787 (wrangler.toml [dev]) with the local team registry. First applies the
 * migrations to the local D1 (.wrangler/state) without asking, then runs wrangler dev in the
 * foreground, quiet and offline: no telemetry, no Cloudflare look-ups (scripts/lib/wrangler.ts),
 * and without its DevTools proxy (WITHOUT_DEVTOOLS_PROXY).
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

/**
 * wrangler dev without its DevTools proxy (the InspectorProxyWorker). wrangler 4.86 has it turn on
 * the runtime inspector's Network domain and post every message back to wrangler's node process,
 * each post on a new loopback connection that is left open: one per chunk a streamed answer
 * relays. A 20,000-event stream took 168 s and left workerd at its 20,000 file descriptors, after
 * which every request (/healthz too) hung until a restart. Without the proxy: 4 s, as under
 * Miniflare alone, and a flat descriptor count. wrangler dev has no flag for it; it leaves the proxy
 * out in a VS Code JavaScript Debug Terminal, which it recognises by this variable (read by nothing
 * else unless js-debug's bootloader is in NODE_OPTIONS, and then VS Code has set it already: kept).
 * Lost: the DevTools hotkey [d]; the Worker's console lines and uncaught errors still show.
 */
const WITHOUT_DEVTOOLS_PROXY = { VSCODE_INSPECTOR_OPTIONS: process.env.VSCODE_INSPECTOR_OPTIONS ?? '{}' };

function serve(args: readonly string[]): Promise<number> {
  const [command, commandArgs] = wranglerCommand(['dev', '--env', 'hosted', ...args]);
  const env = { ...quietWranglerEnv(), ...WITHOUT_DEVTOOLS_PROXY };
  const child = spawn(command, commandArgs, { cwd: REPO_ROOT, env, stdio: 'inherit' });
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
