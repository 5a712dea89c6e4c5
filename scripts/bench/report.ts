/**
 * The pure part of `npm run bench`: a step's figures from its samples, medians across rounds,
 * and the tables (results, gateway/floor ratios, workerd memory per step) as text.
 */
import { median, ms, percentile, ratio } from '../lib/stats';
import type { Sample } from './load';

export const PATHS = ['direct', 'floor', 'reader', 'gateway'] as const;
export type PathName = (typeof PATHS)[number];

/** One path's figures for one workload at one concurrency (one round, or the medians of several). */
export interface Figures {
  readonly ttfb50: number;
  readonly p50: number;
  readonly p99: number;
  readonly rps: number;
  readonly mibps: number;
  /** workerd CPU ms per request; null on the direct path (no workerd) or where it cannot be read. */
  readonly cpuMs: number | null;
  /** Mean answer size. */
  readonly bytes: number;
}

export interface Cell {
  readonly workload: string;
  readonly concurrency: number;
  readonly path: PathName;
  readonly bulk: boolean;
  readonly figures: Figures;
}

const MiB = 1024 * 1024;

export function figuresOf(samples: readonly Sample[], seconds: number, cpuMs: number | null): Figures {
  const totals = samples.map((s) => s.total).sort((a, b) => a - b);
  const ttfbs = samples.map((s) => s.ttfb).sort((a, b) => a - b);
  const bytes = samples.reduce((sum, s) => sum + s.bytes, 0);
  return {
    ttfb50: percentile(ttfbs, 50),
    p50: percentile(totals, 50),
    p99: percentile(totals, 99),
    rps: samples.length / seconds,
    mibps: bytes / MiB / seconds,
    cpuMs,
    bytes: bytes / Math.max(1, samples.length),
  };
}

/** Each figure's median across rounds, on its own; CPU is null if any round's is. */
export function medianFigures(rounds: readonly Figures[]): Figures {
  const of = (pick: (f: Figures) => number): number => median(rounds.map(pick));
  const cpu = rounds.map((f) => f.cpuMs);
  return {
    ttfb50: of((f) => f.ttfb50),
    p50: of((f) => f.p50),
    p99: of((f) => f.p99),
    rps: of((f) => f.rps),
    mibps: of((f) => f.mibps),
    cpuMs: cpu.length > 0 && cpu.every((c) => c !== null) ? median(cpu) : null,
    bytes: of((f) => f.bytes),
  };
}

/** A byte count as KB or MB (decimal, as sizes of answers are usually quoted). */
export function size(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} KB`;
  return `${bytes.toFixed(0)} B`;
}

/** A difference with its sign, '+1.20 ms' or '−0.30 ms'. */
export function signed(value: number, format: (magnitude: number) => string): string {
  return `${value < 0 ? '−' : '+'}${format(Math.abs(value))}`;
}

function cpu(value: number | null): string {
  if (value === null) return '—';
  return value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(0)} ms`;
}

/** The results table: one row per workload, concurrency and path. */
export function resultRows(cells: readonly Cell[]): string[][] {
  return cells.map(({ workload, concurrency, path, bulk, figures: f }) => [
    workload,
    `c=${concurrency}`,
    path,
    ms(f.ttfb50),
    ms(f.p50),
    ms(f.p99),
    f.rps.toFixed(f.rps < 100 ? 1 : 0),
    bulk ? f.mibps.toFixed(1) : '',
    path === 'direct' ? '—' : cpu(f.cpuMs),
  ]);
}

export const RESULT_HEADER = ['workload', 'c', 'path', 'ttfb p50', 'p50', 'p99', 'req/s', 'MiB/s', 'workerd CPU/req'] as const;

/**
 * gateway/floor for each workload and concurrency: p50 (and the ms it adds), CPU per request and
 * what it adds, throughput; then the reading floor's CPU over the floor's, and the gateway's over
 * the reading floor's (what the gateway's own work costs beyond reading every byte under a relay's
 * runtime obligations).
 */
export function ratioRows(cells: readonly Cell[]): string[][] {
  const rows: string[][] = [];
  const cpuRatio = (over: Cell | undefined, under: Cell | undefined): string => {
    const [o, u] = [over?.figures.cpuMs ?? null, under?.figures.cpuMs ?? null];
    return o === null || u === null ? '—' : ratio(o, u);
  };
  for (const gateway of cells.filter((c) => c.path === 'gateway')) {
    const find = (path: PathName): Cell | undefined =>
      cells.find((c) => c.path === path && c.workload === gateway.workload && c.concurrency === gateway.concurrency);
    const floor = find('floor');
    if (floor === undefined) continue;
    const reader = find('reader');
    const [g, f] = [gateway.figures, floor.figures];
    const throughput = gateway.bulk ? ratio(g.mibps, f.mibps) : ratio(g.rps, f.rps);
    rows.push([
      gateway.workload,
      `c=${gateway.concurrency}`,
      ratio(g.p50, f.p50),
      signed(g.p50 - f.p50, ms),
      cpuRatio(gateway, floor),
      g.cpuMs === null || f.cpuMs === null ? '—' : signed(g.cpuMs - f.cpuMs, cpu),
      throughput,
      cpuRatio(reader, floor),
      cpuRatio(gateway, reader),
    ]);
  }
  return rows;
}

export const RATIO_HEADER = ['workload', 'c', 'p50', 'p50 added', 'CPU/req', 'CPU added', 'throughput', 'reader CPU/req', 'CPU over reader'] as const;

/** Rows as aligned text: the first `left` columns left-aligned, the rest right-aligned, two spaces apart. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], left = 1): string[] {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  return [header, ...rows].map((row) =>
    row
      .map((cell, i) => (i < left ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
