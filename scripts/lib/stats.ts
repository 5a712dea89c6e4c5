/** Small numeric helpers for the benchmark: percentiles, formatting, a process's memory. */
import { readdirSync, readFileSync } from 'node:fs';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function ms(value: number): string {
  return value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(1)} ms`;
}

export function ratio(value: number, baseline: number): string {
  return `×${(value / baseline).toFixed(2)}`;
}

/** Resident and peak memory (MiB) of this process's child processes whose command is `name` (Linux /proc). */
export function childMemory(name: string): { rssMiB: number; peakMiB: number } | null {
  let rss = 0;
  let peak = 0;
  let found = false;
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const field = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
      if (!status.startsWith(`Name:\t${name}`) || field('PPid') !== process.pid) continue;
      rss += field('VmRSS');
      peak += field('VmHWM');
      found = true;
    } catch {
      // the process ended while we looked
    }
  }
  return found ? { rssMiB: rss / 1024, peakMiB: peak / 1024 } : null;
}
