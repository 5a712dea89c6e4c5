/**
 * `npm run bench`: what the gateway costs. Streamed `/v1/responses` turns against the simulator,
 * directly and through the built Worker served by workerd (Miniflare, not the wrangler dev proxy),
 * at concurrency 1, 16 and 64: p50/p99 of time to first byte and of total time, requests per
 * second, and the ratios gateway/direct. Then a translated turn (a Chat provider behind /v1/responses,
 * scripts/lib/bench-chat.ts) against the plain relay, SSE relay throughput on large streams, and the
 * workerd process's memory (resident and peak). Figures only: no thresholds, nothing here fails on a slow machine.
 * Each step reports on stderr as it runs (the whole run takes a minute or two); the tables go to stdout at the end.
 */
import { Agent, request } from 'undici';
import { startSimulator } from '../simulator/server';
import { startGateway } from './lib/gateway';
import { translatedTurnRows } from './lib/bench-chat';
import { childMemory, ms, percentile, ratio } from './lib/stats';

const LEVELS: readonly { concurrency: number; requests: number }[] = [
  { concurrency: 1, requests: 300 },
  { concurrency: 16, requests: 1_600 },
  { concurrency: 64, requests: 3_200 },
];
/** Concurrency levels of the relay throughput runs. */
const RELAY_LEVELS: readonly number[] = [1, 4];
const WARMUP = 50;
const BIG_STREAM = { deltaCount: 20_000, deltaSize: 256, streams: 4 };
const BODY = JSON.stringify({ model: 'gpt-test', stream: true, input: 'benchmark' });

interface Sample {
  readonly ttfb: number;
  readonly total: number;
  readonly bytes: number;
}

async function turn(dispatcher: Agent, baseUrl: string): Promise<Sample> {
  const started = performance.now();
  const response = await request(`${baseUrl}/responses`, {
    method: 'POST',
    dispatcher,
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
    body: BODY,
  });
  let ttfb = 0;
  let bytes = 0;
  for await (const chunk of response.body) {
    if (bytes === 0) ttfb = performance.now() - started;
    bytes += (chunk as Buffer).byteLength;
  }
  if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
  return { ttfb, total: performance.now() - started, bytes };
}

async function load(baseUrl: string, concurrency: number, requests: number): Promise<{ samples: Sample[]; seconds: number }> {
  const dispatcher = new Agent({ connections: concurrency, keepAliveTimeout: 30_000 });
  for (let i = 0; i < Math.min(WARMUP, requests); i += 1) await turn(dispatcher, baseUrl);
  const samples: Sample[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < requests) {
      next += 1;
      samples.push(await turn(dispatcher, baseUrl));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await dispatcher.close();
  return { samples, seconds };
}

/** Steps of the run: each load level direct and through the gateway, then each relay level likewise. */
const STEPS = (LEVELS.length + RELAY_LEVELS.length) * 2;
let stepsDone = 0;

/** Runs one step, reporting it on stderr: what it does before, how long it took after. */
async function step<T>(label: string, run: () => Promise<T>): Promise<T> {
  stepsDone += 1;
  process.stderr.write(`[${stepsDone}/${STEPS}] ${label} ...`);
  const started = performance.now();
  const result = await run();
  process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

function summary(run: { samples: Sample[]; seconds: number }) {
  const ttfb = run.samples.map((s) => s.ttfb).sort((a, b) => a - b);
  const total = run.samples.map((s) => s.total).sort((a, b) => a - b);
  const bytes = run.samples.reduce((sum, s) => sum + s.bytes, 0);
  return {
    ttfb50: percentile(ttfb, 50),
    ttfb99: percentile(ttfb, 99),
    total50: percentile(total, 50),
    total99: percentile(total, 99),
    rps: run.samples.length / run.seconds,
    mibps: bytes / 1024 / 1024 / run.seconds,
    mibPerResponse: bytes / 1024 / 1024 / Math.max(1, run.samples.length),
  };
}

function printRows(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '));
}

async function main(): Promise<void> {
  const sim = await startSimulator();
  const gateway = await startGateway({ UPSTREAM_BASE_URL: sim.baseUrl, HEARTBEAT_INTERVAL_MS: '15000' });
  try {
    const memoryIdle = childMemory('workerd');
    console.log('codex-edge benchmark: streamed /v1/responses against the simulator on 127.0.0.1; gateway = the built Worker in workerd (Miniflare)\n');
    process.stderr.write(`${STEPS} steps; the tables follow when all are done.\n`);
    const rows: string[][] = [];
    for (const { concurrency, requests } of LEVELS) {
      const direct = summary(await step(`c=${concurrency}, ${requests} streamed turns direct`, () => load(sim.baseUrl, concurrency, requests)));
      const through = summary(
        await step(`c=${concurrency}, ${requests} streamed turns through the gateway`, () => load(gateway.baseUrl, concurrency, requests)),
      );
      for (const [name, s] of [
        ['direct', direct],
        ['gateway', through],
      ] as const) {
        rows.push([`c=${concurrency}`, name, ms(s.ttfb50), ms(s.ttfb99), ms(s.total50), ms(s.total99), s.rps.toFixed(0)]);
      }
      rows.push([
        '',
        'ratio',
        ratio(through.ttfb50, direct.ttfb50),
        ratio(through.ttfb99, direct.ttfb99),
        ratio(through.total50, direct.total50),
        ratio(through.total99, direct.total99),
        ratio(through.rps, direct.rps),
      ]);
      rows.push([
        '',
        'added',
        ms(through.ttfb50 - direct.ttfb50),
        ms(through.ttfb99 - direct.ttfb99),
        ms(through.total50 - direct.total50),
        ms(through.total99 - direct.total99),
        '',
      ]);
    }
    const translatedRows = await translatedTurnRows(sim, gateway);
    sim.setOptions({ deltaCount: BIG_STREAM.deltaCount, deltaSize: BIG_STREAM.deltaSize });
    const relayRows: string[][] = [];
    let streamMiB = 0;
    for (const concurrency of RELAY_LEVELS) {
      const big = `${BIG_STREAM.streams} large streams`;
      const direct = summary(await step(`c=${concurrency}, ${big} direct`, () => load(sim.baseUrl, concurrency, BIG_STREAM.streams)));
      const through = summary(await step(`c=${concurrency}, ${big} through the gateway`, () => load(gateway.baseUrl, concurrency, BIG_STREAM.streams)));
      relayRows.push([`c=${concurrency}`, 'direct', `${direct.mibps.toFixed(1)} MiB/s`, ms(direct.total50)]);
      relayRows.push([`c=${concurrency}`, 'gateway', `${through.mibps.toFixed(1)} MiB/s`, ms(through.total50)]);
      relayRows.push(['', 'ratio', ratio(through.mibps, direct.mibps), ratio(through.total50, direct.total50)]);
      streamMiB = through.mibPerResponse;
    }
    process.stderr.write('\n');
    printRows(['level', 'path', 'ttfb p50', 'ttfb p99', 'total p50', 'total p99', 'req/s'], rows);
    console.log('\nTranslated turn: a recorded Codex request (47 KB) streamed through /v1/responses to a Chat Completions provider');
    console.log('(UPSTREAM_WIRE_API=chat), against the plain relay to a Responses provider');
    printRows(['level', 'path', 'ttfb p50', 'ttfb p99', 'total p50', 'total p99', 'req/s'], translatedRows);
    console.log(`\nSSE relay throughput: streams of ${BIG_STREAM.deltaCount} deltas x ${BIG_STREAM.deltaSize} chars (~${streamMiB.toFixed(0)} MiB each)`);
    printRows(['level', 'path', 'throughput', 'stream p50'], relayRows);

    const memoryAfter = childMemory('workerd');
    if (memoryIdle !== null && memoryAfter !== null) {
      console.log(
        `\nworkerd memory (all of its isolates, V8 heaps included): ${memoryIdle.rssMiB.toFixed(0)} MiB resident at start, ` +
          `${memoryAfter.rssMiB.toFixed(0)} MiB after, peak ${memoryAfter.peakMiB.toFixed(0)} MiB`,
      );
    } else {
      console.log('\nworkerd memory: not measurable here (needs Linux /proc)');
    }
  } finally {
    await gateway.close();
    await sim.close();
  }
}

await main();
