/**
 * How the project's scripts run wrangler: the local binary, with wrangler.toml from the
 * repository root, and an environment that keeps it quiet and offline (no telemetry, no
 * Cloudflare look-ups, no banner). Used by the Miniflare launcher (gateway.ts) and `npm run dev`.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand, type RunResult } from './run';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WRANGLER_TOML = join(REPO_ROOT, 'wrangler.toml');
export const WRANGLER_BIN = join(createRequire(import.meta.url).resolve('wrangler/package.json'), '..', 'bin', 'wrangler.js');

/** Environment for every wrangler run: no telemetry, no Cloudflare or npm look-ups, no banner. */
export const QUIET_WRANGLER_ENV = {
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
} as const;

/** This process's environment with the quiet settings on top. */
export function quietWranglerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, ...QUIET_WRANGLER_ENV };
}

/** `node wrangler.js ...args --config wrangler.toml`: the command line of a wrangler run. */
export function wranglerCommand(args: readonly string[]): [string, string[]] {
  return [process.execPath, [WRANGLER_BIN, ...args, '--config', WRANGLER_TOML]];
}

/**
 * Runs wrangler to completion from the repository root, its output collected and stdin closed
 * (so it never prompts: a confirmation takes its default); throws with its output when it fails.
 */
export async function runWrangler(args: readonly string[]): Promise<RunResult> {
  const [command, commandArgs] = wranglerCommand(args);
  const result = await runCommand(command, commandArgs, { cwd: REPO_ROOT, env: quietWranglerEnv() });
  if (result.code !== 0) throw new Error(`wrangler ${args.join(' ')} failed (exit ${result.code}):\n${result.stdout}${result.stderr}`);
  return result;
}
