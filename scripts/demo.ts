/**
 * `npm run demo`: the embedded default, no credentials. Starts the flaky provider simulator
 * (drops idle keep-alive connections with an RST, plus a 5xx burst, a 429 and a reset along
 * the way), starts the gateway in workerd pointed at it, and runs the same workload (a pooled
 * keep-alive client pausing longer than the provider's idle cutoff) directly and through the
 * gateway, then prints what a user of each would have seen.
 */
import { startSimulator, type Fault, type Simulator } from '../simulator/server';
import { startGateway } from './lib/gateway';
import { runWorkload, type WorkloadResult } from './lib/workload';

const REQUESTS = 12;
const PAUSE_MS = 600;
const IDLE_CUTOFF_MS = 400;

/** Trouble on the way, the same for both runs: request index → faults queued before it. */
const TROUBLE: ReadonlyMap<number, readonly Fault[]> = new Map([
  [3, [{ kind: 'status', status: 503 }, { kind: 'status', status: 502 }]],
  [6, [{ kind: 'status', status: 429, headers: { 'retry-after-ms': '300' } }]],
  [9, [{ kind: 'reset' }]],
]);

interface Row {
  readonly name: string;
  readonly result: WorkloadResult;
  readonly attempts: number;
}

async function measure(name: string, sim: Simulator, baseUrl: string): Promise<Row> {
  const before = sim.stats();
  const result = await runWorkload({
    baseUrl,
    requests: REQUESTS,
    pauseMs: PAUSE_MS,
    beforeRequest: (index) => sim.enqueue(...(TROUBLE.get(index) ?? [])),
  });
  const after = sim.stats();
  return { name, result, attempts: after.requests - before.requests + (after.staleHits - before.staleHits) };
}

function table(rows: readonly Row[]): string {
  const head = ['', 'requests', 'client-visible failures', 'upstream attempts', 'time'];
  const body = rows.map((row) => [row.name, String(row.result.requests), String(row.result.failures.length), String(row.attempts), `${(row.result.ms / 1000).toFixed(1)} s`]);
  const widths = head.map((cell, i) => Math.max(cell.length, ...body.map((line) => (line[i] ?? '').length)));
  return [head, ...body].map((line) => line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('   ')).join('\n');
}

async function main(): Promise<void> {
  const sim = await startSimulator({ idleCutoffMs: IDLE_CUTOFF_MS, idleMode: 'reset' });
  // The hosted environment with a freshly migrated local team registry: the single upstream serves
  // every non-team key, exactly as in a one-team deployment.
  const gateway = await startGateway({ UPSTREAM_BASE_URL: sim.baseUrl }, { registry: true });
  try {
    console.log(`codex-edge demo: ${REQUESTS} streamed /v1/responses turns from one pooled keep-alive client, ${PAUSE_MS} ms apart.`);
    console.log(`The provider (simulator at ${sim.url}) drops connections idle for ${IDLE_CUTOFF_MS} ms with an RST, answers 503+502, a 429 and a reset on the way.`);
    console.log(`The gateway runs in workerd at ${gateway.url} (local team registry migrated; this workload uses the single upstream).\n`);
    const direct = await measure('direct to the provider', sim, sim.baseUrl);
    const through = await measure('through codex-edge', sim, gateway.baseUrl);
    console.log(table([direct, through]));
    for (const row of [direct, through]) {
      if (row.result.failures.length === 0) continue;
      console.log(`\nWhat the client saw ${row.name}:`);
      for (const failure of row.result.failures.slice(0, 5)) console.log(`  ${failure}`);
    }
    console.log('\nNext: `npm run dev` serves the gateway on http://127.0.0.1:8787 (set UPSTREAM_BASE_URL), `npm run simulator -- --help` runs the simulator on its own.');
  } finally {
    await gateway.close();
    await sim.close();
  }
}

await main();
