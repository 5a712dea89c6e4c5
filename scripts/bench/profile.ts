/**
 * Where the gateway's CPU goes: `npx tsx scripts/bench/profile.ts ["codex turn"] [--seconds 5] [--concurrency 16]`.
 * Runs one workload of workloads.ts through the built Worker (Miniflare, workerd's V8 inspector
 * on), samples the Worker's isolate with V8's CPU profiler while the load runs, and prints the time
 * per module of src/ (built-ins counted for the module that called them), then per function, in
 * ms per request. The isolate's thread only: the process's other threads and Miniflare's entry
 * worker are not in it (npm run bench reads the whole workerd process). With the inspector
 * attached every console.log also goes to it: the log line's share here (a sixth of a JSON call)
 * is several times what it costs without (about 5 % in paired runs of the bench).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { WebSocket } from 'undici';
import { startSimulator } from '../../simulator/server';
import { startGateway, workerBundlePath } from '../lib/gateway';
import { load, withConnections } from './load';
import { moduleLocator, summarizeProfile, type CpuProfile, type Share } from './profile-summary';
import { WORKLOADS } from './workloads';

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: { seconds: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '16' } },
});
const workload = WORKLOADS.find((w) => w.name === (positionals[0] ?? 'codex turn'));
if (workload === undefined) throw new Error(`no workload '${positionals[0] ?? ''}'; there are: ${WORKLOADS.map((w) => w.name).join(', ')}`);
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A Chrome DevTools Protocol session over the inspector's WebSocket. */
async function devtools(url: string): Promise<{ send: (method: string, params?: object) => Promise<unknown>; close: () => void }> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  const waiting = new Map<number, (result: unknown) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: unknown };
    if (message.id === undefined) return;
    waiting.get(message.id)?.(message.result ?? message.error);
    waiting.delete(message.id);
  });
  let id = 0;
  return {
    send: (method, params = {}) =>
      new Promise((resolve) => {
        id += 1;
        waiting.set(id, resolve);
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}

const sim = await startSimulator({ streamWriteBytes: 16 * 1024, ...workload.upstream });
const inspectorPort = await freePort();
const gateway = await startGateway({ UPSTREAM_BASE_URL: sim.baseUrl, ...workload.gatewayVars }, { inspectorPort });
try {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as { title: string; webSocketDebuggerUrl: string }[];
  const target = targets.find((t) => t.title.endsWith(':codex-edge'));
  if (target === undefined) throw new Error(`no inspector target for the Worker among ${targets.map((t) => t.title).join(', ')}`);
  const session = await devtools(target.webSocketDebuggerUrl);
  const call = { baseUrl: gateway.baseUrl, ...workload.request, completeWhen: workload.completeWhen };
  await withConnections(concurrency, gateway.baseUrl, (dispatcher) => load(dispatcher, call, concurrency, Math.max(concurrency, workload.warmup)));
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 100 });
  await session.send('Profiler.start');
  let requests = 0;
  const until = performance.now() + seconds * 1000;
  await withConnections(concurrency, gateway.baseUrl, async (dispatcher) => {
    while (performance.now() < until) requests += (await load(dispatcher, call, concurrency, concurrency)).samples.length;
  });
  const { profile } = (await session.send('Profiler.stop')) as { profile: CpuProfile };
  session.close();
  gateway.clearLogs();

  const summary = summarizeProfile(profile, moduleLocator(readFileSync(await workerBundlePath(), 'utf8')));
  const busyUs = summary.totalUs - summary.idleUs;
  const perRequest = (us: number): string => `${(us / 1000 / requests).toFixed(3)} ms`;
  const rows = (shares: readonly Share[], count: number): string[] =>
    shares
      .filter((share) => share.name !== '(idle)' && share.name !== '(root)')
      .slice(0, count)
      .map((share) => `  ${((100 * share.us) / busyUs).toFixed(1).padStart(5)} %  ${perRequest(share.us).padStart(9)}  ${share.name}`);
  console.log(`${workload.name} at c=${concurrency}, ${requests} requests in ${seconds} s through the gateway`);
  console.log(`the Worker's isolate was busy ${(busyUs / 1e6).toFixed(2)} s: ${perRequest(busyUs)} per request (idle not counted; shares of busy time)\n`);
  console.log('per module (built-ins counted for their caller):');
  for (const line of rows(summary.modules, 20)) console.log(line);
  console.log('\nper function, own time:');
  for (const line of rows(summary.self, 25)) console.log(line);
  console.log('\nper function, with what it calls:');
  for (const line of rows(summary.inclusive, 25)) console.log(line);
} finally {
  await gateway.close();
  await sim.close();
}
