/**
 * Memory per open stream: many slow streams (the upstream sends an event every few seconds) held
 * open at once through one workerd, whose resident memory is read before they open and while they
 * are held. The streams start in batches, 100 every 100 ms (no listen backlog overflows), and the
 * hold starts once every stream has delivered its first bytes (the gateway holds a stream's
 * preamble back for up to a second), so that every stream is really open when memory is read.
 */
import { setMaxListeners } from 'node:events';
import { Agent, request } from 'undici';
import { processMemory } from '../lib/stats';
import type { Call } from './load';

export interface SlowStreams {
  /** Streams asked for, and those that delivered their first event. */
  readonly streams: number;
  readonly opened: number;
  /** Seconds until every stream was open. */
  readonly openSeconds: number;
  /** workerd's resident memory before the streams opened, at the end of the hold, and the most seen during it. */
  readonly idleMiB: number;
  readonly heldMiB: number;
  readonly peakMiB: number;
  /** Events (reads) the median stream received during the hold: proof they were alive. */
  readonly eventsDuringHold: number;
}

const BATCH = 100;
/** Streams not open by then are left out (counted in `opened`). */
const OPEN_TIMEOUT_MS = 20_000;

/** `(held - idle) / streams`, the memory an open stream costs. */
export function mibPerStream(result: Pick<SlowStreams, 'idleMiB' | 'heldMiB' | 'opened'>): number {
  return (result.heldMiB - result.idleMiB) / Math.max(1, result.opened);
}

export async function slowStreams(pid: number, call: Omit<Call, 'completeWhen'>, streams: number, holdMs: number): Promise<SlowStreams> {
  const rss = (): number => processMemory(pid)?.rssMiB ?? Number.NaN;
  const idleMiB = rss();
  const dispatcher = new Agent({ connections: streams, keepAliveTimeout: 1_000 });
  const abort = new AbortController();
  setMaxListeners(streams + 10, abort.signal); // one signal ends them all
  const reads: number[] = new Array<number>(streams).fill(0);
  let opened = 0;
  const firstEvents: Promise<void>[] = [];
  const ends: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < streams; i += 1) {
    let markOpen: () => void = () => undefined;
    firstEvents.push(new Promise<void>((resolve) => (markOpen = resolve)));
    ends.push(
      (async () => {
        const response = await request(call.baseUrl + call.path, {
          method: 'POST',
          dispatcher,
          signal: abort.signal,
          headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
          body: call.body,
        });
        for await (const chunk of response.body as AsyncIterable<Buffer>) {
          if (chunk.byteLength === 0) continue;
          if ((reads[i] ?? 0) === 0) {
            opened += 1;
            markOpen();
          }
          reads[i] = (reads[i] ?? 0) + 1;
        }
      })().catch(() => undefined), // aborted at the end (or failed: then it never counts as open)
    );
    if ((i + 1) % BATCH === 0) await sleep(100);
  }
  await Promise.race([Promise.all(firstEvents), sleep(OPEN_TIMEOUT_MS)]);
  const openSeconds = (performance.now() - started) / 1000;
  const readsAtStart = [...reads];
  let peakMiB = rss();
  const sampler = setInterval(() => (peakMiB = Math.max(peakMiB, rss())), 250);
  await sleep(holdMs);
  clearInterval(sampler);
  const heldMiB = rss();
  peakMiB = Math.max(peakMiB, heldMiB);
  const during = reads.map((n, i) => n - (readsAtStart[i] ?? 0)).sort((a, b) => a - b);
  abort.abort();
  await Promise.all(ends);
  await dispatcher.destroy();
  return { streams, opened, openSeconds, idleMiB, heldMiB, peakMiB, eventsDuringHold: during[during.length >> 1] ?? 0 };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
