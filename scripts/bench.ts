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
 * Here: the steps and rounds. The plan: bench/plan.ts; the paths: bench/paths.ts; the report:
 * bench/print-report.ts.
 */
import { startSimulator, type Simulator } from '../simulator/server';
import { processMemory } from './lib/stats';
import { load, withConnections } from './bench/load';
import { callOf, measure } from './bench/measure';
import { Paths, useUpstream } from './bench/paths';
import { parsePlan, SLOW_UPSTREAM, STREAM_WRITE_BYTES, type Plan } from './bench/plan';
import { printReport, type MemoryRow, type SlowResult } from './bench/print-report';
import { medianFigures, PATHS, type Cell, type Figures, type PathName } from './bench/report';
import { startFloor, startGatewayRuntime } from './bench/runtimes';
import { slowStreams } from './bench/slow-streams';
import { translatedTurnTable } from './bench/translated';
import { providerHealthTable } from './bench/health';
import { websocketSessionTable } from './bench/websocket';
import { WORKLOADS, type Workload } from './bench/workloads';

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

  // Provider health on the happy path: the JSON and Codex-turn workloads (not the bulk or paced streams), up to 16 concurrent requests.
  const healthWorkloads = WORKLOADS.filter((w) => w.bulk !== true && w.upstream.eventDelayMs === undefined).map((w) => ({
    ...w,
    levels: w.levels.filter((level) => level.concurrency <= 16),
  }));
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

await main();
