/** Small numeric helpers for the benchmark and the e2e memory test: percentiles, formatting, a process's memory. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

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

/** The pids of this process's child processes whose command is `name` (Linux /proc; empty elsewhere). */
export function childPids(name: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  return entries.map(Number).filter((pid) => {
    const status = procStatus(pid);
    return status !== null && status.startsWith(`Name:\t${name}`) && statusField(status, 'PPid') === process.pid;
  });
}

function procStatus(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null; // the process ended while we looked
  }
}

function statusField(status: string, key: string): number {
  return Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
}

/** Resident and peak resident memory (MiB) of one process: VmRSS and VmHWM of /proc/PID/status; null once it has ended. */
export function processMemory(pid: number): { rssMiB: number; peakMiB: number } | null {
  const status = procStatus(pid);
  return status === null ? null : { rssMiB: statusField(status, 'VmRSS') / 1024, peakMiB: statusField(status, 'VmHWM') / 1024 };
}

/** Starts a process's peak (VmHWM) over from its current resident memory (Linux: clear_refs 5); false where not allowed. */
export function resetPeakMemory(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Resident and peak memory (MiB) of this process's child processes whose command is `name` (Linux /proc). */
export function childMemory(name: string): { rssMiB: number; peakMiB: number } | null {
  const each = childPids(name).flatMap((pid) => processMemory(pid) ?? []);
  if (each.length === 0) return null;
  return { rssMiB: each.reduce((sum, m) => sum + m.rssMiB, 0), peakMiB: each.reduce((sum, m) => sum + m.peakMiB, 0) };
}

/** Linux's USER_HZ: the unit of the CPU times in /proc/PID/stat (100 on every Linux this project runs on). */
export const CLOCK_TICKS_PER_SECOND = 100;

/**
 * User + system CPU time (ms) of a process, all its threads, from the text of /proc/PID/stat:
 * fields 14 and 15 (utime, stime), counted from after the command name's closing parenthesis
 * (the name itself may hold spaces and parentheses).
 */
export function cpuMsFromStat(stat: string, ticksPerSecond: number = CLOCK_TICKS_PER_SECOND): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (the state): utime is field 14, stime field 15.
  const [utime, stime] = [Number(fields[11]), Number(fields[12])];
  if (!Number.isInteger(utime) || !Number.isInteger(stime)) throw new Error(`not a /proc/PID/stat line: ${stat.slice(0, 80)}`);
  return ((utime + stime) * 1000) / ticksPerSecond;
}

/** CPU time (ms) a process has used so far (Linux /proc); null once it has ended or where there is no /proc. */
export function processCpuMs(pid: number): number | null {
  try {
    return cpuMsFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** CPU ms per request over a step: the process's CPU time after minus before, over the requests it served; null without both readings. */
export function cpuMsPerRequest(beforeMs: number | null, afterMs: number | null, requests: number): number | null {
  if (beforeMs === null || afterMs === null || requests <= 0) return null;
  return (afterMs - beforeMs) / requests;
}

/** The median of some numbers (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
