/**
 * `npm run demo`: the embedded default, no credentials. Starts the flaky provider simulator
 * (drops idle keep-alive connections with an RST, plus a 5xx burst, a 429 and a reset along
 * the way), starts the gateway in workerd pointed at it, and runs the same workload (a pooled
 * keep-alive client pausing longer than the provider's idle cutoff) directly and through the
 * gateway, then prints what a user of each would have seen. A second scene puts the provider
 * down for a while and shows how many requests Codex-like agents cost it, directly and through
 * the gateway (scripts/lib/outage-scene.ts). It ends with the operator view's URL (README: Operator
 * view) and, in a terminal, keeps the gateway up until Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { startSimulator, type Fault, type Simulator } from '../simulator/server';
import { chatProviderScene } from './lib/demo-chat';
import { formatTable, listWithMore, operatorPageNote, retryExplanation, turnsOf } from './lib/demo-report';
import { startGateway, type Gateway } from './lib/gateway';
import { runOutageScene, type OutageRow } from './lib/outage-scene';
import { runWorkload, type WorkloadResult } from './lib/workload';

const REQUESTS = 12;
const PAUSE_MS = 600;
const IDLE_CUTOFF_MS = 400;

/** Trouble on the way, the same for both runs: request index → faults queued before it. */
const TROUBLE: ReadonlyMap<number, readonly Fault[]> = new Map([
  [
    3,
    [
      { kind: 'status', status: 503 },
      { kind: 'status', status: 502 },
    ],
  ],
  [6, [{ kind: 'status', status: 429, headers: { 'retry-after-ms': '300' } }]],
  [9, [{ kind: 'reset' }]],
]);

/** The outage scene: how long the provider is down, and how many agents start a turn as it goes down. */
const OUTAGE_MS = 15_000;
const AGENTS = 4;

/** Failures listed per run; the rest are counted. */
const SHOWN_FAILURES = 5;

interface Row {
  readonly name: string;
  readonly result: WorkloadResult;
  readonly attempts: number;
  /** Requests that arrived on a connection past the provider's idle cutoff. */
  readonly staleHits: number;
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
  const staleHits = after.staleHits - before.staleHits;
  return { name, result, attempts: after.requests - before.requests + staleHits, staleHits };
}

/** The gateway writes a request's log line a moment after the response: wait for all of them. */
async function requestLogs(gateway: Gateway, count: number): Promise<string[]> {
  const deadline = Date.now() + 5_000;
  while (turnsOf(gateway.logs()).length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return gateway.logs();
}

function table(rows: readonly Row[]): string {
  const head = ['', 'requests', 'client-visible failures', 'upstream attempts', 'time'];
  return formatTable(
    head,
    rows.map((row) => [
      row.name,
      String(row.result.requests),
      String(row.result.failures.length),
      String(row.attempts),
      `${(row.result.ms / 1000).toFixed(1)} s`,
    ]),
  );
}

async function outageScene(sim: Simulator, gateway: Gateway): Promise<void> {
  sim.setOptions({ idleCutoffMs: undefined }); // this scene is about the outage alone
  console.log(`\nScene 2: the provider goes down for ${OUTAGE_MS / 1000} s (every request answered 503), then recovers. ${AGENTS} agents each start a turn`);
  console.log('as it goes down, retrying as Codex does by default (4 quick retries inside each of 6 tries; Retry-After and "try again in Ns"');
  console.log('honoured), directly and through codex-edge at the same time...\n');
  const rows = await runOutageScene(sim, gateway.baseUrl, { agents: AGENTS, outageMs: OUTAGE_MS });
  const head = ['', 'turns completed', 'agent requests', 'upstream requests', 'of them while down', 'last turn done'];
  const line = (row: OutageRow): string[] => [
    row.name,
    `${row.completed}/${row.turns}`,
    String(row.clientRequests),
    String(row.upstream),
    String(row.upstreamWhileDown),
    `${(row.lastDoneMs / 1000).toFixed(1)} s`,
  ];
  console.log(formatTable(head, rows.map(line)));
  const [direct, through] = rows;
  console.log(
    `\nDirectly, every failure was retried within a second or two, again and again: ${direct.upstreamWhileDown} requests hit the provider while it was down.` +
      `\nThrough codex-edge, ${through.upstreamWhileDown}: the agents' first requests opened its circuit breaker, then one probe went per open period` +
      '\n(2, 4, then 8 s). Each agent was told how long to wait ("try again in Ns"), came back then, and finished its turn once a' +
      '\nprobe found the provider up.',
  );
}

/** Until Ctrl-C (SIGINT) or SIGTERM. */
function stopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

async function main(): Promise<void> {
  const sim = await startSimulator({ idleCutoffMs: IDLE_CUTOFF_MS, idleMode: 'reset' });
  // The hosted environment with a freshly migrated local team registry: the single upstream serves
  // every non-team key, exactly as in a one-team deployment. The admin token is this run's own, for
  // the operator view at the end.
  const adminToken = randomBytes(24).toString('hex');
  const gateway = await startGateway({ UPSTREAM_BASE_URL: sim.baseUrl, ADMIN_TOKEN: adminToken }, { registry: true });
  try {
    console.log(`codex-edge demo: ${REQUESTS} streamed /v1/responses turns from one pooled keep-alive client, ${PAUSE_MS} ms apart.`);
    console.log(
      `The provider (simulator at ${sim.url}) drops connections idle for ${IDLE_CUTOFF_MS} ms with an RST, answers 503+502, a 429 and a reset on the way.`,
    );
    console.log(`The gateway runs in workerd at ${gateway.url} (local team registry migrated; this workload uses the single upstream).\n`);
    const direct = await measure('direct to the provider', sim, sim.baseUrl);
    const through = await measure('through codex-edge', sim, gateway.baseUrl);
    console.log(table([direct, through]));
    for (const row of [direct, through]) {
      if (row.result.failures.length === 0) continue;
      console.log(`\nWhat the client saw ${row.name} (${row.result.failures.length} failures):`);
      for (const line of listWithMore(row.result.failures, SHOWN_FAILURES)) console.log(line);
    }
    const explanation = retryExplanation(await requestLogs(gateway, REQUESTS), {
      requests: through.result.requests,
      attempts: through.attempts,
      staleHits: through.staleHits,
    });
    if (explanation.length > 0) console.log(`\n${explanation.join('\n')}`);
    await outageScene(sim, gateway);
    console.log(
      '\nBy hand: `npm run simulator` (the provider on 127.0.0.1:9000), then `npm run dev -- --var ' +
        'UPSTREAM_BASE_URL:http://127.0.0.1:9000/v1` (the gateway on 127.0.0.1:8787).',
    );
    await chatProviderScene();
    const interactive = process.stdout.isTTY;
    console.log(operatorPageNote(gateway.url, adminToken, interactive).join('\n'));
    if (interactive) await stopped();
  } finally {
    await gateway.close();
    await sim.close();
  }
}

await main();
