/**
 * `npm run bench [-- --quick]`: what the gateway costs, against the runtime's floor.
 *
 * Three paths, each workload of bench/workloads.ts on each: direct (to the simulator), the floor
 * (bench/floor-worker.js, a pass-through Worker with no policy) and the gateway (the built Worker);
 * the floor and the gateway each in their own workerd (Miniflare, not the wrangler dev proxy), so
 * that the CPU time and memory read from each workerd process are that path's own. The simulator
 * writes streams in 16 KiB slices, as a provider's stream arrives over TCP.
 *
 * Rounds interleave the paths (each round runs every workload, concurrency and path, the order of
 * the paths turning from round to round); the tables give each figure's median across rounds:
 * p50/p99 latency, requests/s, MiB/s for the bulk stream, workerd CPU ms per request (utime +
 * stime of /proc/PID/stat over the step, over its requests). Then gateway/floor ratios, workerd's
 * resident memory after every step, and the memory of many slow streams held open through one
 * (fresh) workerd. Figures only: no thresholds. Progress on stderr, tables on stdout at the end.
 * `--quick`: one round, a quarter of the requests, fewer slow streams held for less time.
 */
import { parseArgs } from 'node:util';
import { startSimulator, type Simulator } from '../simulator/server';
import { processMemory } from './lib/stats';
import { load, withConnections } from './bench/load';
import { callOf, measure } from './bench/measure';
import {
  formatTable,
  medianFigures,
  PATHS,
  RATIO_HEADER,
  ratioRows,
  RESULT_HEADER,
  resultRows,
  size,
  type Cell,
  type Figures,
  type PathName,
} from './bench/report';
import { startFloor, startGatewayRuntime, type Runtime } from './bench/runtimes';
import { mibPerStream, slowStreams, type SlowStreams } from './bench/slow-streams';
import { translatedTurnTable } from './bench/translated';
import { providerHealthTable } from './bench/health';
import { websocketSessionTable } from './bench/websocket';
import { WORKLOADS, type Level, type Workload } from './bench/workloads';

/** A provider's stream arrives in TCP-sized reads, not one event per write. */
const STREAM_WRITE_BYTES = 16 * 1024;

interface Plan {
  readonly rounds: number;
  readonly requests: (level: Level) => number;
  readonly warmup: (workload: Workload) => number;
  readonly slowStreams: number;
  readonly holdMs: number;
}

const FULL: Plan = { rounds: 3, requests: (level) => level.requests, warmup: (w) => w.warmup, slowStreams: 1_000, holdMs: 15_000 };
const QUICK: Plan = {
  rounds: 1,
  requests: (level) => Math.max(level.concurrency, Math.ceil(level.requests / 4)),
  warmup: (w) => Math.ceil(w.warmup / 4),
  slowStreams: 200,
  holdMs: 6_000,
};
/** The slow streams: an event every 5 s, more of them than the hold can use. */
const SLOW_UPSTREAM = { eventDelayMs: 5_000, deltaCount: 20, deltaSize: 4 };

function parsePlan(args: readonly string[]): Plan {
  const { values } = parseArgs({ args: [...args], options: { quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help === true) {
    console.log('Usage: npm run bench [-- --quick]\n  --quick  one round, a quarter of the requests, 200 slow streams held 6 s (a smoke run)');
    process.exit(0);
  }
  return values.quick === true ? QUICK : FULL;
}

let stepsDone = 0;
let stepsTotal = 0;

/** Runs one step, reporting it on stderr: what it does before, how long it took after. */
async function step<T>(label: string, run: () => Promise<T>): Promise<T> {
  stepsDone += 1;
  process.stderr.write(`[${stepsDone}/${stepsTotal}] ${label} ...`);
  const started = performance.now();
  const result = await run();
  process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The instances of one run: the two floors, and one gateway per distinct set of gateway vars. */
class Paths {
  readonly #gateways = new Map<string, Runtime>();
  private constructor(
    readonly sim: Simulator,
    readonly floor: Runtime,
    readonly reader: Runtime,
  ) {}

  static async start(sim: Simulator): Promise<Paths> {
    const paths = new Paths(sim, await startFloor(sim.url), await startFloor(sim.url, 'reader'));
    // One after another: each instance's workerd is told by the child process it adds.
    for (const workload of WORKLOADS) await paths.#gatewayFor(workload);
    return paths;
  }

  static varsOf(workload: Workload, sim: Simulator): Record<string, string> {
    return { UPSTREAM_BASE_URL: sim.baseUrl, ...workload.gatewayVars };
  }

  async #gatewayFor(workload: Workload): Promise<Runtime> {
    const key = JSON.stringify(workload.gatewayVars ?? {});
    let gateway = this.#gateways.get(key);
    if (gateway === undefined) {
      gateway = await startGatewayRuntime(Paths.varsOf(workload, this.sim));
      this.#gateways.set(key, gateway);
    }
    return gateway;
  }

  /** Where a path's requests go for a workload, and the workerd process serving them (null: none). */
  target(path: PathName, workload: Workload): { baseUrl: string; pid: number | null } {
    if (path === 'direct') return { baseUrl: this.sim.baseUrl, pid: null };
    if (path === 'floor') return this.floor;
    if (path === 'reader') return this.reader;
    const gateway = this.#gateways.get(JSON.stringify(workload.gatewayVars ?? {}));
    if (gateway === undefined) throw new Error(`no gateway started for ${workload.name}`);
    return gateway;
  }

  async close(): Promise<void> {
    await this.floor.close();
    await this.reader.close();
    for (const gateway of this.#gateways.values()) await gateway.close();
  }
}

function useUpstream(sim: Simulator, workload: Workload): void {
  sim.setOptions({ deltaCount: undefined, deltaSize: undefined, eventDelayMs: undefined, streamWriteBytes: STREAM_WRITE_BYTES, ...workload.upstream });
}

interface MemoryRow {
  readonly round: number;
  readonly workload: string;
  readonly concurrency: number;
  readonly after: Partial<Record<PathName, number | null>>;
}

async function main(): Promise<void> {
  const plan = parsePlan(process.argv.slice(2));
  const levelCount = WORKLOADS.reduce((sum, w) => sum + w.levels.length, 0);
  stepsTotal = WORKLOADS.length + plan.rounds * levelCount * PATHS.length + 3;
  process.stderr.write(`${stepsTotal} steps (${plan.rounds} round${plan.rounds === 1 ? '' : 's'}); the tables follow when all are done.\n`);

  const sim = await startSimulator({ streamWriteBytes: STREAM_WRITE_BYTES });
  try {
    const paths = await Paths.start(sim);
    try {
      await run(plan, sim, paths);
    } finally {
      await paths.close();
    }
  } finally {
    await sim.close();
  }
  console.log(`\n${(await translatedTurnTable()).join('\n')}`);
  console.log(`\n${(await websocketSessionTable()).join('\n')}`);
}

async function run(plan: Plan, sim: Simulator, paths: Paths): Promise<void> {
  const idle = { floor: memoryOf(paths.floor), gateway: memoryOf(paths.target('gateway', WORKLOADS[0] as Workload)) };
  for (const workload of WORKLOADS) {
    useUpstream(sim, workload);
    const requests = plan.warmup(workload);
    await step(`warm-up: ${workload.name}, ${requests} requests on each path`, async () => {
      for (const path of PATHS) {
        const call = callOf(paths.target(path, workload).baseUrl, workload);
        await withConnections(4, call.baseUrl, (dispatcher) => load(dispatcher, call, 4, requests));
      }
    });
  }

  const rounds = new Map<string, Figures[]>();
  const key = (workload: Workload, concurrency: number, path: PathName): string => `${workload.name}|${concurrency}|${path}`;
  const memory: MemoryRow[] = [];
  for (let round = 0; round < plan.rounds; round += 1) {
    // The paths' order turns each round, so that no path always runs first (or last) on a machine that drifts.
    const order = PATHS.map((_, i) => PATHS[(i + round) % PATHS.length] as PathName);
    for (const workload of WORKLOADS) {
      useUpstream(sim, workload);
      for (const level of workload.levels) {
        const requests = plan.requests(level);
        const row: MemoryRow = { round: round + 1, workload: workload.name, concurrency: level.concurrency, after: {} };
        for (const path of order) {
          const label = `round ${round + 1}/${plan.rounds}: ${workload.name}, c=${level.concurrency}, ${requests} requests, ${path}`;
          const { figures, rssMiB } = await step(label, () => measure(paths.target(path, workload), workload, level.concurrency, requests));
          const k = key(workload, level.concurrency, path);
          rounds.set(k, [...(rounds.get(k) ?? []), figures]);
          row.after[path] = rssMiB;
        }
        memory.push(row);
      }
    }
  }

  // Provider health on the happy path: the JSON and Codex-turn workloads, up to 16 concurrent requests.
  const healthWorkloads = WORKLOADS.filter((w) => w.bulk !== true).map((w) => ({ ...w, levels: w.levels.filter((level) => level.concurrency <= 16) }));
  const health = await step(`provider health: the gateway with and without its health object, ${plan.rounds} round(s)`, () =>
    providerHealthTable(sim, healthWorkloads, { rounds: plan.rounds, requests: plan.requests, prepare: useUpstream }),
  );
  const slow = await measureSlowStreams(sim, plan);

  const cells: Cell[] = WORKLOADS.flatMap((workload) =>
    workload.levels.flatMap((level) =>
      PATHS.map((path) => ({
        workload: workload.name,
        concurrency: level.concurrency,
        path,
        bulk: workload.bulk === true,
        figures: medianFigures(rounds.get(key(workload, level.concurrency, path)) ?? []),
      })),
    ),
  );
  process.stderr.write('\n');
  printReport(plan, cells, idle, memory, slow);
  console.log(`\n${health.join('\n')}`);
}

function memoryOf(runtime: { pid: number | null }): number | null {
  return runtime.pid === null ? null : (processMemory(runtime.pid)?.rssMiB ?? null);
}

interface SlowResult {
  readonly path: PathName;
  readonly result: SlowStreams | null;
}

/** Slow streams through a fresh floor and a fresh gateway (the Codex turn's request), one after the other. */
async function measureSlowStreams(sim: Simulator, plan: Plan): Promise<SlowResult[]> {
  const turn = WORKLOADS.find((w) => w.name === 'codex turn');
  if (turn === undefined) throw new Error("the slow streams send the 'codex turn' workload's request, and there is none");
  const results: SlowResult[] = [];
  for (const path of ['floor', 'gateway'] as const) {
    const label = `${plan.slowStreams} slow streams (an event every ${SLOW_UPSTREAM.eventDelayMs / 1000} s) held ${plan.holdMs / 1000} s, a fresh ${path}`;
    results.push(
      await step(label, async () => {
        sim.setOptions({ ...SLOW_UPSTREAM, streamWriteBytes: STREAM_WRITE_BYTES });
        const runtime = path === 'floor' ? await startFloor(sim.url) : await startGatewayRuntime(Paths.varsOf(turn, sim));
        try {
          if (runtime.pid === null) return { path, result: null };
          // One request first, so that the Worker is loaded and its first-request work done before memory is read.
          await withConnections(1, runtime.baseUrl, () => Promise.resolve());
          await pause(500);
          const call = { baseUrl: runtime.baseUrl, ...turn.request };
          return { path, result: await slowStreams(runtime.pid, call, plan.slowStreams, plan.holdMs) };
        } finally {
          await runtime.close();
        }
      }),
    );
  }
  return results;
}

function printReport(
  plan: Plan,
  cells: readonly Cell[],
  idle: { floor: number | null; gateway: number | null },
  memory: readonly MemoryRow[],
  slow: readonly SlowResult[],
): void {
  const out = (line = ''): void => console.log(line);
  const rounds = plan.rounds === 1 ? 'one round' : `medians of ${plan.rounds} interleaved rounds`;
  out(`codex-edge benchmark (${rounds}${plan === QUICK ? ', --quick' : ''}), everything on 127.0.0.1`);
  out('  direct   the simulator itself (Node), streams written in 16 KiB slices');
  out('  floor    a pass-through Worker with no policy (scripts/bench/floor-worker.js), in its own workerd under Miniflare');
  out("  reader   a pass-through Worker that reads every byte in JS and keeps a relay's runtime obligations: a headers timeout,");
  out("           the client's abort followed, a native pipe to the client, a log line kept alive (scripts/bench/reader-worker.js), likewise");
  out('  gateway  the built Worker (wrangler deploy --dry-run), in its own workerd under Miniflare');
  out('Workloads:');
  for (const workload of WORKLOADS) {
    const answer = cells.find((c) => c.workload === workload.name && c.path === 'direct')?.figures.bytes ?? 0;
    out(`  ${workload.name.padEnd(12)} ${workload.description}: ${size(workload.request.body.length)} up, ${size(answer)} down`);
  }
  out();
  out("Latency is to the last byte of the answer; workerd CPU/req is the workerd process's user+system time over the step, per request.");
  for (const line of formatTable(RESULT_HEADER, resultRows(cells), 3)) out(line);
  out();
  out('gateway / floor (added = gateway minus floor); reader CPU/req = reader / floor, CPU over reader = gateway / reader:');
  for (const line of formatTable(RATIO_HEADER, ratioRows(cells), 2)) out(line);
  out();
  const mib = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : value.toFixed(0));
  out(`workerd resident memory (MiB) after each step; at start: floor ${mib(idle.floor)}, gateway ${mib(idle.gateway)}`);
  const memoryRows = memory.map((row) => [`${row.round}`, row.workload, `c=${row.concurrency}`, mib(row.after.floor), mib(row.after.gateway)]);
  for (const line of formatTable(['round', 'workload', 'c', 'floor', 'gateway'], memoryRows, 3)) out(line);
  out();
  out(`Slow streams held open through one fresh workerd (an event every ${SLOW_UPSTREAM.eventDelayMs / 1000} s, the Codex turn's request):`);
  const slowRows = slow.map(({ path, result: r }) =>
    r === null
      ? [path, '—', '—', '—', '—', '—', '—', '—']
      : [
          path,
          `${r.opened}/${r.streams}`,
          `${r.openSeconds.toFixed(1)} s`,
          r.idleMiB.toFixed(0),
          r.heldMiB.toFixed(0),
          r.peakMiB.toFixed(0),
          mibPerStream(r).toFixed(3),
          `${r.eventsDuringHold}`,
        ],
  );
  const held = `held ${plan.holdMs / 1000} s`;
  for (const line of formatTable(['path', 'open', 'opened in', 'idle MiB', `${held}: MiB`, 'peak MiB', 'MiB/stream', 'events/stream'], slowRows)) out(line);
}

await main();
