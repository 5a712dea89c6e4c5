/**
 * How much `npm run bench` runs: the full plan, or `--quick` (one round, a quarter of the
 * requests, fewer slow streams held for less time); and the simulator settings every run uses.
 */
import { parseArgs } from 'node:util';
import type { Level, Workload } from './workloads';

/** A provider's stream arrives in TCP-sized reads, not one event per write. */
export const STREAM_WRITE_BYTES = 16 * 1024;

export interface Plan {
  readonly rounds: number;
  readonly requests: (level: Level) => number;
  readonly warmup: (workload: Workload) => number;
  readonly slowStreams: number;
  readonly holdMs: number;
}

const FULL: Plan = { rounds: 3, requests: (level) => level.requests, warmup: (w) => w.warmup, slowStreams: 1_000, holdMs: 15_000 };
export const QUICK: Plan = {
  rounds: 1,
  requests: (level) => Math.max(level.concurrency, Math.ceil(level.requests / 4)),
  warmup: (w) => Math.ceil(w.warmup / 4),
  slowStreams: 200,
  holdMs: 6_000,
};
/** The slow streams: an event every 5 s, more of them than the hold can use. */
export const SLOW_UPSTREAM = { eventDelayMs: 5_000, deltaCount: 20, deltaSize: 4 };

export function parsePlan(args: readonly string[]): Plan {
  const { values } = parseArgs({ args: [...args], options: { quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help === true) {
    console.log('Usage: npm run bench [-- --quick]\n  --quick  one round, a quarter of the requests, 200 slow streams held 6 s (a smoke run)');
    process.exit(0);
  }
  return values.quick === true ? QUICK : FULL;
}
