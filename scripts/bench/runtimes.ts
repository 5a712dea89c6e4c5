/**
 * The workerd instances of the benchmark, each its own Miniflare and so its own workerd process,
 * whose pid is kept so that its CPU time and memory are its own: the runtime floor (floor-worker.js,
 * a pass-through with no policy), the reading floor (reader-worker.js, a pass-through that reads
 * every byte in JS and keeps a relay's runtime obligations) and the gateway (the built Worker,
 * scripts/lib/gateway.ts). All run under the Worker's compatibility date and flags, behind the
 * same Miniflare entry worker.
 */
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { startGateway, workerCompatibility, type GatewayOptions } from '../lib/gateway';
import { childPids } from '../lib/stats';

export interface Runtime {
  /** Base URL including /v1. */
  readonly baseUrl: string;
  /** The workerd process serving it; null where it cannot be told (no /proc). */
  readonly pid: number | null;
  close(): Promise<void>;
}

/** The floors: what a Worker costs that passes the bytes on untouched, and one that reads them all. */
export type FloorKind = 'floor' | 'reader';

const FLOOR_WORKERS: Readonly<Record<FloorKind, string>> = {
  floor: fileURLToPath(new URL('./floor-worker.js', import.meta.url)),
  reader: fileURLToPath(new URL('./reader-worker.js', import.meta.url)),
};

/**
 * Starts something that spawns one workerd child and tells which one it is: the child that was
 * not there before. Starts must not overlap (the bench starts its instances one after another).
 */
async function withPid(start: () => Promise<{ baseUrl: string; close(): Promise<void> }>): Promise<Runtime> {
  const before = new Set(childPids('workerd'));
  const started = await start();
  const spawned = childPids('workerd').filter((pid) => !before.has(pid));
  return { ...started, pid: spawned.length === 1 ? (spawned[0] ?? null) : null };
}

/** A floor in front of `upstreamOrigin` (http://127.0.0.1:PORT, no path); the reader's log lines are dropped as they come. */
export function startFloor(upstreamOrigin: string, kind: FloorKind = 'floor'): Promise<Runtime> {
  return withPid(async () => {
    const mf = new Miniflare({
      ...(await workerCompatibility()),
      name: kind,
      modules: true,
      scriptPath: FLOOR_WORKERS[kind],
      bindings: { UPSTREAM: upstreamOrigin },
      host: '127.0.0.1',
      port: 0,
      handleStructuredLogs: () => undefined,
    });
    const url = (await mf.ready).origin;
    return { baseUrl: `${url}/v1`, close: () => mf.dispose() };
  });
}

/**
 * The gateway, the built Worker, with `vars` on top of wrangler.toml's (UPSTREAM_BASE_URL at
 * least) and its provider-health object as asked (GatewayOptions.healthObject). Its log lines are
 * dropped as they come.
 */
export function startGatewayRuntime(vars: Record<string, string>, healthObject: GatewayOptions['healthObject'] = 'bound'): Promise<Runtime> {
  return withPid(async () => {
    const gateway = await startGateway(vars, { healthObject });
    // The Worker logs a line per request; the launcher keeps them all, which a long run does not need.
    const forget = setInterval(() => gateway.clearLogs(), 1_000);
    forget.unref();
    return {
      baseUrl: gateway.baseUrl,
      close: async () => {
        clearInterval(forget);
        await gateway.close();
      },
    };
  });
}
