/**
 * The report `npm run bench` prints at the end: the paths and workloads, the results and
 * gateway/floor ratios, workerd's memory after each step, and the slow streams.
 */
import { mibPerStream, type SlowStreams } from './slow-streams';
import { QUICK, SLOW_UPSTREAM, type Plan } from './plan';
import { formatTable, RATIO_HEADER, ratioRows, RESULT_HEADER, resultRows, size, type Cell, type PathName } from './report';
import { WORKLOADS } from './workloads';

export interface MemoryRow {
  readonly round: number;
  readonly workload: string;
  readonly concurrency: number;
  readonly after: Partial<Record<PathName, number | null>>;
}

export interface SlowResult {
  readonly path: PathName;
  readonly result: SlowStreams | null;
}

export function printReport(
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
