/**
 * Runs the real Codex CLI (`@openai/codex`, devDependencies: 0.169.0 as `@openai/codex`, 0.171.0
 * as the alias `@openai/codex-0171`) for one `codex exec` turn against a provider base URL, in its
 * own temporary CODEX_HOME and working directory, so that it reads no user config and writes
 * nothing outside them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand, type RunResult } from './run';

/** The Codex versions the gateway is tested with, oldest first (FIELD-NOTES §1: test the oldest and the newest). */
export const CODEX_VERSIONS = ['0.169.0', '0.171.0'] as const;
export type CodexVersion = (typeof CODEX_VERSIONS)[number];

/** The package directory of each version under node_modules/@openai/ (package.json names them). */
const PACKAGE_DIRS: Readonly<Record<CodexVersion, string>> = { '0.169.0': 'codex', '0.171.0': 'codex-0171' };

/**
 * The launcher of one version. Not node_modules/.bin/codex: both packages declare the `codex` bin,
 * so that link points at whichever npm linked last.
 */
export function codexBin(version: CodexVersion = CODEX_VERSIONS[0]): string {
  return fileURLToPath(new URL(`../../node_modules/@openai/${PACKAGE_DIRS[version]}/bin/codex.js`, import.meta.url));
}

export type CodexRun = RunResult;

export interface CodexOptions {
  /** The provider's base_url, e.g. http://127.0.0.1:PORT/v1. */
  readonly baseUrl: string;
  readonly apiKey: string;
  /** Which Codex to run; the oldest supported one by default. */
  readonly version?: CodexVersion;
  readonly prompt?: string;
  /** Extra lines for the [model_providers.edge] table, e.g. `stream_max_retries = 1`. */
  readonly providerLines?: readonly string[];
  /** A whole config.toml to use instead of the generated one (e.g. one the gateway handed out). */
  readonly configToml?: string;
  /** Extra environment variables for Codex (e.g. the env_key a handed-out config names). */
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** The config.toml that keeps Codex quiet and local (FIELD-NOTES §5), with one provider "edge". */
export function codexConfig(baseUrl: string, providerLines: readonly string[] = []): string {
  return [
    'model = "gpt-test"',
    'model_provider = "edge"',
    'check_for_update_on_startup = false',
    '[analytics]',
    'enabled = false',
    '[features]',
    'shell_snapshot = false',
    'plugins = false',
    '[model_providers.edge]',
    'name = "edge"',
    `base_url = "${baseUrl}"`,
    'env_key = "EDGE_API_KEY"',
    'wire_api = "responses"',
    ...providerLines,
    '',
  ].join('\n');
}

/** A handed-out config block (the gateway's /v1/codex-config) with the lines that keep Codex quiet and local around it. */
export function quietCodexConfig(block: string): string {
  return ['check_for_update_on_startup = false', block, '[analytics]', 'enabled = false', '[features]', 'shell_snapshot = false', 'plugins = false', ''].join(
    '\n',
  );
}

export async function runCodex(options: CodexOptions): Promise<CodexRun> {
  const home = mkdtempSync(join(tmpdir(), 'codex-home-'));
  const work = mkdtempSync(join(tmpdir(), 'codex-work-'));
  writeFileSync(join(home, 'config.toml'), options.configToml ?? codexConfig(options.baseUrl, options.providerLines));
  try {
    return await runCommand(codexBin(options.version), ['exec', '--skip-git-repo-check', '--color', 'never', options.prompt ?? 'say hi'], {
      cwd: work,
      env: { PATH: process.env['PATH'] ?? '', HOME: home, CODEX_HOME: home, EDGE_API_KEY: options.apiKey, RUST_LOG: 'error', ...options.env },
      timeoutMs: options.timeoutMs ?? 60_000,
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

/** What `codex --version` prints for a version's launcher (in its own CODEX_HOME), e.g. "codex-cli 0.171.0". */
export async function codexCliVersion(version: CodexVersion): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'codex-home-'));
  try {
    const run = await runCommand(codexBin(version), ['--version'], {
      env: { PATH: process.env['PATH'] ?? '', HOME: home, CODEX_HOME: home },
      timeoutMs: 30_000,
    });
    return run.stdout.trim();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
