/**
 * Provider health on the happy path: the gateway with its PROVIDER_HEALTH Durable Object (the
 * same class, every call counted: scripts/bench/health-counted.js) against the same gateway with
 * the object unbound, on the JSON and Codex-turn workloads, in interleaved rounds. A healthy
 * provider's requests should not see the difference, and the object should get no call at all.
 * Returns the table to print.
 */
import type { Simulator } from '../../simulator/server';
import { ms, ratio } from '../lib/stats';
import { measure } from './measure';
import { formatTable, medianFigures, type Figures } from './report';
import { startGatewayRuntime, type Runtime } from './runtimes';
import type { Level, Workload } from './workloads';

export interface HealthPlan {
  readonly rounds: number;
  readonly requests: (level: Level) => number;
  /** Sets the simulator up for a workload. */
  readonly prepare: (sim: Simulator, workload: Workload) => void;
}

const HEADER = ['workload', 'c', 'p50 with', 'p50 without', 'p50 with/without', 'CPU with', 'CPU without', 'CPU with/without'];
const cpu = (value: number | null): string => (value === null ? '—' : `${value.toFixed(2)} ms`);

async function healthCalls(runtime: Runtime): Promise<number> {
  const answer = await fetch(`${new URL(runtime.baseUrl).origin}/__bench/health-calls`);
  return ((await answer.json()) as { calls: number }).calls;
}

export async function providerHealthTable(sim: Simulator, workloads: readonly Workload[], plan: HealthPlan): Promise<string[]> {
  const vars = { UPSTREAM_BASE_URL: sim.baseUrl };
  const counted = await startGatewayRuntime(vars, 'counted');
  const unbound = await startGatewayRuntime(vars, 'unbound').catch(async (err: unknown) => {
    await counted.close();
    throw err;
  });
  try {
    const sides = [counted, unbound] as const;
    const figures = new Map<string, Figures[]>();
    for (let round = 0; round < plan.rounds; round += 1) {
      for (const workload of workloads) {
        plan.prepare(sim, workload);
        for (const level of workload.levels) {
          // The order of the two turns each round, as the bench's paths do.
          for (const index of round % 2 === 0 ? [0, 1] : [1, 0]) {
            const { figures: step } = await measure(sides[index] ?? counted, workload, level.concurrency, plan.requests(level));
            const key = `${workload.name}|${level.concurrency}|${index}`;
            figures.set(key, [...(figures.get(key) ?? []), step]);
          }
        }
      }
    }
    const calls = await healthCalls(counted);
    const rows = workloads.flatMap((workload) =>
      workload.levels.map((level) => {
        const [withObject, without] = [0, 1].map((index) => medianFigures(figures.get(`${workload.name}|${level.concurrency}|${index}`) ?? []));
        if (withObject === undefined || without === undefined) return [];
        const cpuRatio = withObject.cpuMs === null || without.cpuMs === null ? '—' : ratio(withObject.cpuMs, without.cpuMs);
        return [
          workload.name,
          `c=${level.concurrency}`,
          ms(withObject.p50),
          ms(without.p50),
          ratio(withObject.p50, without.p50),
          cpu(withObject.cpuMs),
          cpu(without.cpuMs),
          cpuRatio,
        ];
      }),
    );
    return [
      'Provider health on the happy path: the gateway with its PROVIDER_HEALTH Durable Object (with) and with it unbound (without)',
      ...formatTable(HEADER, rows, 2),
      `Calls to the PROVIDER_HEALTH object during the runs with it: ${calls}`,
    ];
  } finally {
    await counted.close();
    await unbound.close();
  }
}
