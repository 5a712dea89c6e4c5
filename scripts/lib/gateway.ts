/**
 * The real Worker, built and served the way it runs in production, for e2e tests, the demo and
 * the benchmark (Node side).
 *
 * `startGateway(vars)` bundles the Worker once per process with `wrangler deploy --dry-run
 * --outdir <tmp>` (the exact bundle a deploy would upload) and serves it with Miniflare —
 * workerd directly, no `wrangler dev` proxy — on 127.0.0.1 at a free port. Compatibility
 * date/flags and any bindings declared in wrangler.toml come from wrangler's own reading of
 * that file (the same one the vitest pool uses); its `[vars]` and the given `vars` are the only
 * plain-text bindings (local `.dev.vars*` / `.env` files are ignored), so
 * `{ UPSTREAM_BASE_URL: sim.baseUrl }` points the gateway at a simulator.
 *
 * Everything the Worker writes with console.* is captured, one entry per call, in order:
 * `logs()` / `logEntries()`, and `waitForLog()` because lines arrive asynchronously from the
 * workerd process (a few ms after the response that caused them).
 *
 * Miniflare's entry worker sits in front of the Worker, like Cloudflare's edge: it gzips
 * compressible responses (JSON, text/plain, not text/event-stream) when the client sends
 * `Accept-Encoding: gzip`, which undici/fetch and the OpenAI SDK do.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import type { Unstable_MiniflareWorkerOptions } from 'wrangler';
import { QUIET_WRANGLER_ENV, runWrangler, WRANGLER_TOML } from './wrangler';

export interface LogEntry {
  /** workerd's level: 'log' | 'info' | 'debug' | 'warn' | 'error' ... */
  readonly level: string;
  readonly message: string;
  readonly timestamp: number;
}

export interface Gateway {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** url + '/v1', what a client's base URL should be. */
  readonly baseUrl: string;
  /** Every console line the Worker wrote so far, in order (a copy). */
  logs(): string[];
  /** The same with levels and timestamps. */
  logEntries(): LogEntry[];
  /** The request lines (`"msg":"request"`, one per request, WebSocket turn or connection) written so far, parsed. */
  requestLines(): Record<string, unknown>[];
  /** Forgets the lines captured so far. */
  clearLogs(): void;
  /**
   * Resolves with the first line (already captured or still to come) that matches; rejects
   * after timeoutMs (default 5000) with the lines seen so far.
   */
  waitForLog(match: string | RegExp | ((line: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Stops workerd. */
  close(): Promise<void>;
}

export interface GatewayOptions {
  /** Also print the Worker's console lines to this process's stdout/stderr. */
  readonly echoLogs?: boolean;
  /**
   * Serve the `hosted` environment of wrangler.toml with a fresh team registry (a local D1 in a
   * temporary directory, migrations applied, removed on close). Default: the top level, no registry.
   */
  readonly registry?: boolean;
  /** Open workerd's V8 inspector (Chrome DevTools Protocol) on this port of 127.0.0.1: for profiling (scripts/bench/profile.ts). */
  readonly inspectorPort?: number;
  /**
   * The PROVIDER_HEALTH Durable Object: bound as wrangler.toml says (default); `unbound` (the
   * Worker then keeps provider health per isolate); or `counted`, the same class with every call
   * counted (scripts/bench/health-counted.js, `GET /__bench/health-calls`): for the benchmark.
   */
  readonly healthObject?: 'bound' | 'unbound' | 'counted';
}

const HEALTH_COUNTED = fileURLToPath(new URL('../bench/health-counted.js', import.meta.url));

/** The entry module and Durable Object bindings to serve, per GatewayOptions.healthObject. */
function withHealthObject(
  build: Build,
  choice: GatewayOptions['healthObject'],
): Pick<Build, 'scriptPath'> & Pick<Build['workerOptions'], 'durableObjects' | 'modulesRules'> {
  const { durableObjects, modulesRules } = build.workerOptions;
  const { PROVIDER_HEALTH: health, ...others } = durableObjects ?? {};
  if (choice === 'unbound') return { scriptPath: build.scriptPath, durableObjects: others, modulesRules };
  if (choice !== 'counted' || typeof health !== 'object') return { scriptPath: build.scriptPath, durableObjects, modulesRules };
  const scriptPath = join(build.outDir, 'health-counted.js');
  copyFileSync(HEALTH_COUNTED, scriptPath);
  return {
    scriptPath,
    durableObjects: { ...others, PROVIDER_HEALTH: { ...health, className: 'CountedProviderHealth' } },
    // The wrapper imports the bundle: both are ES modules; the bundle's own rules (its .sql text) still apply.
    modulesRules: [{ type: 'ESModule', include: ['**/*.js'] }, ...(modulesRules ?? [])],
  };
}

interface Build {
  /** The bundle's directory: Miniflare's modulesRoot, so module names stay inside it. */
  readonly outDir: string;
  readonly scriptPath: string;
  readonly workerOptions: Unstable_MiniflareWorkerOptions['workerOptions'];
}

const builds = new Map<string, Promise<Build>>();

/** Builds the Worker once per process and environment; every later call gets the same bundle. */
function buildOnce(environment: string | undefined): Promise<Build> {
  const key = environment ?? '';
  let build = builds.get(key);
  if (build === undefined) {
    build = (async () => {
      const outDir = mkdtempSync(join(tmpdir(), 'codex-edge-gateway-'));
      process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
      // Reading the config (importing wrangler takes ~1.5 s) overlaps with the bundling run.
      const [workerOptions] = await Promise.all([readWorkerOptions(environment), bundle(outDir, environment)]);
      return { outDir, scriptPath: join(outDir, 'index.js'), workerOptions };
    })();
    builds.set(key, build);
  }
  return build;
}

/**
 * Miniflare options from wrangler's reading of wrangler.toml, with exactly its `[vars]` as plain
 * bindings. Like `wrangler dev`, wrangler would add what it finds in a developer's `.dev.vars`,
 * `.dev.vars.<env>` or `.env` files; the launcher drops those, so that local hosted-mode secrets
 * (an ADMIN_TOKEN without a registry, say) never change what the demo, the bench and the tests run.
 */
async function readWorkerOptions(environment: string | undefined): Promise<Build['workerOptions']> {
  // WRANGLER_LOG=warn: its "Using secrets defined in .dev.vars" notice would be false here.
  Object.assign(process.env, QUIET_WRANGLER_ENV, { WRANGLER_LOG: 'warn' });
  const wrangler = await import('wrangler');
  /* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-member-access --
     the types of wrangler's unstable config API do not resolve outside wrangler's own build */
  const config = wrangler.unstable_readConfig({ config: WRANGLER_TOML, env: environment });
  const { workerOptions } = wrangler.unstable_getMiniflareWorkerOptions(config, environment);
  return { ...workerOptions, bindings: { ...config.vars } };
  /* eslint-enable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-member-access */
}

async function bundle(outDir: string, environment: string | undefined): Promise<void> {
  await runWrangler(['deploy', '--dry-run', '--outdir', outDir, ...(environment === undefined ? [] : ['--env', environment])]);
}

/** A fresh local team registry: the migrations applied to a D1 in a temporary directory. */
async function migratedRegistry(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'codex-edge-d1-'));
  await runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--env', 'hosted', '--persist-to', dir]);
  return dir;
}

function matcher(match: string | RegExp | ((line: string) => boolean)): (line: string) => boolean {
  if (typeof match === 'string') return (line) => line.includes(match);
  if (match instanceof RegExp) return (line) => match.test(line);
  return match;
}

/**
 * The compatibility date and flags the Worker runs with (wrangler.toml, as wrangler reads it), for
 * another Worker served beside it under the same terms (the benchmark's pass-through floor).
 */
export async function workerCompatibility(): Promise<{ compatibilityDate?: string; compatibilityFlags?: string[] }> {
  const { workerOptions } = await buildOnce(undefined);
  return { compatibilityDate: workerOptions.compatibilityDate, compatibilityFlags: workerOptions.compatibilityFlags };
}

/** The path of the built Worker's bundle (one file; esbuild marks where each module of src/ starts with a `// src/...` line). */
export async function workerBundlePath(): Promise<string> {
  return (await buildOnce(undefined)).scriptPath;
}

/** Builds (once per process) and starts the Worker with `vars` as extra plain-text bindings. */
export async function startGateway(vars: Record<string, string>, options: GatewayOptions = {}): Promise<Gateway> {
  const environment = options.registry === true ? 'hosted' : undefined;
  const [build, registryDir] = await Promise.all([buildOnce(environment), options.registry === true ? migratedRegistry() : Promise.resolve(null)]);
  const { outDir, workerOptions } = build;
  const { scriptPath, durableObjects, modulesRules } = withHealthObject(build, options.healthObject);
  const entries: LogEntry[] = [];
  const waiters = new Set<(entry: LogEntry) => void>();

  const mf = new Miniflare({
    ...workerOptions,
    name: 'codex-edge',
    scriptPath,
    durableObjects,
    modulesRules,
    modules: true,
    modulesRoot: outDir,
    bindings: { ...workerOptions.bindings, ...vars },
    host: '127.0.0.1',
    port: 0,
    ...(registryDir === null ? {} : { d1Persist: join(registryDir, 'v3', 'd1') }),
    ...(options.inspectorPort === undefined ? {} : { inspectorPort: options.inspectorPort }),
    handleStructuredLogs: (entry) => {
      entries.push(entry);
      for (const waiter of waiters) waiter(entry);
      if (options.echoLogs) (entry.level === 'error' || entry.level === 'warn' ? process.stderr : process.stdout).write(`${entry.message}\n`);
    },
  });
  let url: string;
  try {
    url = (await mf.ready).origin;
  } catch (err) {
    // workerd's reason is in its log output, which we captured instead of printing.
    const lines = entries.map((entry) => `  ${entry.message}`).join('\n');
    throw new Error(`the Worker did not start under Miniflare; workerd said:\n${lines}`, { cause: err });
  }

  return {
    url,
    baseUrl: `${url}/v1`,
    logs: () => entries.map((entry) => entry.message),
    logEntries: () => [...entries],
    requestLines: () =>
      entries.filter((entry) => entry.message.includes('"msg":"request"')).map((entry) => JSON.parse(entry.message) as Record<string, unknown>),
    clearLogs: () => {
      entries.length = 0;
    },
    waitForLog: (match, timeoutMs = 5_000) => {
      const test = matcher(match);
      const seen = entries.find((entry) => test(entry.message));
      if (seen !== undefined) return Promise.resolve(seen.message);
      return new Promise<string>((resolve, reject) => {
        const waiter = (entry: LogEntry): void => {
          if (!test(entry.message)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(entry.message);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const lines = entries.map((entry) => `  ${entry.message}`).join('\n');
          reject(new Error(`no Worker log line matched ${String(match)} within ${timeoutMs} ms; lines:\n${lines}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: async () => {
      await mf.dispose();
      if (registryDir !== null) rmSync(registryDir, { recursive: true, force: true });
    },
  };
}
