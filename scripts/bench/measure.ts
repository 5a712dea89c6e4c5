/**
 * One step of the benchmark: a workload at one concurrency against one target (a base URL and
 * the workerd process serving it, if any); its figures (latency, rate, CPU per request from the
 * process's /proc stat) and the process's resident memory after it.
 */
import { cpuMsPerRequest, processCpuMs, processMemory } from '../lib/stats';
import { load, withConnections, type Call } from './load';
import { figuresOf, type Figures } from './report';
import type { Workload } from './workloads';

export interface Target {
  /** Base URL including /v1. */
  readonly baseUrl: string;
  readonly pid: number | null;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function callOf(baseUrl: string, workload: Workload): Call {
  return { baseUrl, ...workload.request, completeWhen: workload.completeWhen };
}

export async function measure(target: Target, workload: Workload, concurrency: number, requests: number): Promise<{ figures: Figures; rssMiB: number | null }> {
  const { baseUrl, pid } = target;
  const call = callOf(baseUrl, workload);
  const cpu = (): number | null => (pid === null ? null : processCpuMs(pid));
  return withConnections(concurrency, baseUrl, async (dispatcher) => {
    await pause(50); // what the connections' first requests left to do (log lines) is not this step's
    const before = cpu();
    const run = await load(dispatcher, call, concurrency, requests);
    await pause(50);
    const figures = figuresOf(run.samples, run.seconds, cpuMsPerRequest(before, cpu(), requests));
    return { figures, rssMiB: pid === null ? null : (processMemory(pid)?.rssMiB ?? null) };
  });
}
