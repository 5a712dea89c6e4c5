/**
 * The pure parts of `npm run bench`: percentiles and medians, CPU time from /proc/PID/stat and per
 * request, a step's figures, medians across rounds, the ratio table and the text tables.
 */
import { describe, expect, it } from 'vitest';
import { figuresOf, formatTable, medianFigures, ratioRows, resultRows, signed, type Cell, type Figures } from '../../../scripts/bench/report';
import { mibPerStream } from '../../../scripts/bench/slow-streams';
import { cpuMsFromStat, cpuMsPerRequest, median, ms, percentile } from '../../../scripts/lib/stats';

describe('percentile and median', () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);

  it('picks the nearest rank', () => {
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3], 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });

  it('takes the middle value, or the mean of the middle two; the input may be unsorted and stays as it is', () => {
    const values = [3, 1, 2];
    expect(median(values)).toBe(2);
    expect(values).toEqual([3, 1, 2]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('workerd CPU time', () => {
  // A real line's shape; the command name may hold spaces and parentheses.
  const stat = (utime: number, stime: number, name = 'workerd'): string =>
    `4242 (${name}) S 4200 4242 4200 0 -1 4194560 9061 0 0 0 ${utime} ${stime} 0 0 20 0 9 0 123456 1289748480 40000 ` +
    '18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0';

  it('adds utime and stime (fields 14 and 15, in clock ticks) as ms', () => {
    expect(cpuMsFromStat(stat(250, 50))).toBe(3_000);
    expect(cpuMsFromStat(stat(250, 50), 1000)).toBe(300);
    expect(cpuMsFromStat(stat(1, 2, 'odd name) S 1 2 3'))).toBe(30);
  });

  it('refuses what is not a stat line', () => {
    expect(() => cpuMsFromStat('nonsense')).toThrow(/stat/);
  });

  it('divides the CPU a step used by its requests; nothing when a reading is missing', () => {
    expect(cpuMsPerRequest(1_000, 1_650, 500)).toBeCloseTo(1.3);
    expect(cpuMsPerRequest(null, 1_650, 500)).toBeNull();
    expect(cpuMsPerRequest(1_000, null, 500)).toBeNull();
    expect(cpuMsPerRequest(1_000, 1_650, 0)).toBeNull();
  });
});

const figures = (p50: number, cpuMs: number | null, rps: number, mibps = 0): Figures => ({
  ttfb50: p50 / 2,
  p50,
  p99: p50 * 3,
  rps,
  mibps,
  cpuMs,
  bytes: 1000,
});

describe('figures of a step and across rounds', () => {
  it('summarises samples: percentiles of the totals and of ttfb, request and byte rates, mean size', () => {
    const samples = [
      { ttfb: 1, total: 4, bytes: 1024 * 1024 },
      { ttfb: 2, total: 2, bytes: 1024 * 1024 },
      { ttfb: 3, total: 3, bytes: 2 * 1024 * 1024 },
      { ttfb: 4, total: 1, bytes: 0 },
    ];
    expect(figuresOf(samples, 2, 0.5)).toEqual({ ttfb50: 2, p50: 2, p99: 4, rps: 2, mibps: 2, cpuMs: 0.5, bytes: 1024 * 1024 });
  });

  it('takes each figure’s median on its own; CPU only when every round has it', () => {
    const rounds = [figures(10, 1, 100), figures(30, 3, 300), figures(20, 2, 50)];
    expect(medianFigures(rounds)).toEqual({ ttfb50: 10, p50: 20, p99: 60, rps: 100, mibps: 0, cpuMs: 2, bytes: 1000 });
    expect(medianFigures([figures(10, 1, 100), figures(10, null, 100)]).cpuMs).toBeNull();
  });
});

describe('tables', () => {
  const cell = (workload: string, concurrency: number, path: Cell['path'], f: Figures, bulk = false): Cell => ({
    workload,
    concurrency,
    path,
    bulk,
    figures: f,
  });
  const cells: Cell[] = [
    cell('turn', 1, 'direct', figures(1, null, 1000)),
    cell('turn', 1, 'floor', figures(2, 0.5, 500)),
    cell('turn', 1, 'reader', figures(3, 1, 400)),
    cell('turn', 1, 'gateway', figures(5, 2, 200)),
    cell('bulk', 16, 'floor', figures(100, 20, 10, 120), true),
    cell('bulk', 16, 'gateway', figures(90, 30, 8, 60), true),
  ];

  it('gives gateway/floor per workload and concurrency (p50, ms added, CPU and what it adds, throughput), then reader/floor and gateway/reader CPU', () => {
    expect(ratioRows(cells)).toEqual([
      ['turn', 'c=1', '×2.50', '+3.00 ms', '×4.00', '+1.50 ms', '×0.40', '×2.00', '×2.00'],
      // A bulk stream's throughput is in MiB/s; a gateway faster than the floor shows a negative difference; no reader ran.
      ['bulk', 'c=16', '×0.90', '−10.0 ms', '×1.50', '+10 ms', '×0.50', '—', '—'],
    ]);
  });

  it('leaves CPU out of the ratio when it was not measured, and rows without a floor out altogether', () => {
    const unmeasured = [cell('x', 1, 'floor', figures(2, null, 10)), cell('x', 1, 'gateway', figures(4, 1, 5)), cell('y', 1, 'gateway', figures(4, 1, 5))];
    expect(ratioRows(unmeasured)).toEqual([['x', 'c=1', '×2.00', '+2.00 ms', '—', '—', '×0.50', '—', '—']]);
  });

  it('shows MiB/s for bulk workloads only, and no workerd CPU on the direct path', () => {
    const rows = resultRows(cells);
    expect(rows[0]).toEqual(['turn', 'c=1', 'direct', '0.50 ms', '1.00 ms', '3.00 ms', '1000', '', '—']);
    expect(rows[3]?.slice(7)).toEqual(['', '2.00 ms']);
    expect(rows[5]?.slice(6)).toEqual(['8.0', '60.0', '30 ms']);
  });

  it('aligns columns: the first ones to the left, numbers to the right', () => {
    expect(
      formatTable(
        ['name', 'c', 'value'],
        [
          ['a', 'c=1', '1.5'],
          ['long name', 'c=16', '10'],
        ],
        2,
      ),
    ).toEqual(['name       c     value', 'a          c=1     1.5', 'long name  c=16     10']);
  });

  it('signs differences', () => {
    expect(signed(1.234, ms)).toBe('+1.23 ms');
    expect(signed(-12.5, ms)).toBe('−12.5 ms');
  });
});

describe('slow streams', () => {
  it('charges the memory that opening them added to each open stream', () => {
    expect(mibPerStream({ idleMiB: 60, heldMiB: 160, opened: 1000 })).toBeCloseTo(0.1);
    expect(mibPerStream({ idleMiB: 60, heldMiB: 60, opened: 0 })).toBe(0);
  });
});
