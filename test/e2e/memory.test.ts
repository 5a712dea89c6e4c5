/**
 * workerd's memory under hostile upstream answers: the built Worker under Miniflare, one answer
 * at a time, first with the gateway's defaults (error bodies read to 16 KiB,
 * MAX_UPSTREAM_JSON_BYTES 16 MiB, MAX_SSE_EVENT_BYTES 8 MiB), then with both caps at their
 * maximum (64 MiB). The bound: workerd's peak resident memory during each case (VmHWM, started
 * over before it, and sampled) stays under its idle resident memory + 256 MiB with the defaults
 * (+ 512 MiB at the maxima), whatever the upstream sends. V8 keeps what it grew, so a case's
 * peak also holds what earlier cases left. The figures are printed for the README. Linux only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childPids, processMemory, resetPeakMemory } from '../../scripts/lib/stats';
import { bombFiller, gzipBomb } from '../../simulator/bomb';
import type { Fault } from '../../simulator/faults';
import { useStack, type Stack } from './setup';

const MiB = 1024 * 1024;

/** The one workerd child of this process: resident memory now, and its peak since the last reset. */
function workerdMemory(pid: number): { rssMiB: number; peakMiB: number } {
  const measured = processMemory(pid);
  if (measured === null) throw new Error(`workerd (pid ${pid}) has gone away`);
  return measured;
}

/** The peak resident memory while `run` ran: VmHWM started over before it where the kernel allows, and sampled every 10 ms. */
async function peakDuring(pid: number, run: () => Promise<void>): Promise<number> {
  const resettable = resetPeakMemory(pid);
  let sampled = workerdMemory(pid).rssMiB;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, workerdMemory(pid).rssMiB);
  }, 10);
  try {
    await run();
    const after = workerdMemory(pid);
    return Math.max(sampled, after.rssMiB, resettable ? after.peakMiB : 0);
  } finally {
    clearInterval(sampler);
  }
}

function post(stack: Stack, fields: Record<string, unknown> = {}): Promise<Response> {
  return fetch(`${stack.gateway.baseUrl}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-e2e-memory-client-0123456789' },
    body: JSON.stringify({ model: 'gpt-test', input: 'hi', ...fields }),
  });
}

/** Reads a body to its end, counting bytes without keeping them. */
async function drain(response: Response): Promise<number> {
  let bytes = 0;
  const reader = response.body?.getReader();
  if (reader === undefined) return 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += (read.value as Uint8Array).byteLength;
  return bytes;
}

interface MemoryCase {
  readonly name: string;
  readonly fault: Fault;
  readonly stream?: boolean;
  /** What the client must get. */
  readonly check: (response: Response) => Promise<void>;
}

async function status(response: Response, expected: number, holds?: string): Promise<void> {
  expect(response.status).toBe(expected);
  const text = await response.text();
  if (holds !== undefined) expect(text).toContain(holds);
}

/** The hostile answers, each measured on its own; a 500 is retried, and its retry gets a normal answer. */
const HOSTILE: readonly MemoryCase[] = [
  {
    name: 'gzip bomb, 512 MiB on a 200 JSON answer',
    fault: { kind: 'gzip-bomb', expandedBytes: 512 * MiB },
    check: (r) => status(r, 502, 'upstream_response_too_large'),
  },
  { name: 'gzip bomb, 512 MiB on a 500 error body', fault: { kind: 'gzip-bomb', status: 500, expandedBytes: 512 * MiB }, check: (r) => status(r, 200) },
  { name: 'a 500 error body of 128 MB', fault: { kind: 'huge', status: 500, bytes: 128_000_000, shape: 'json-message' }, check: (r) => status(r, 200) },
  {
    name: 'one SSE event of 300 MB without a newline',
    fault: { kind: 'huge', bytes: 300_000_000, shape: 'sse-event' },
    stream: true,
    check: (r) => status(r, 200, 'MAX_SSE_EVENT_BYTES'),
  },
  {
    name: 'a raw body of 64 MiB, relayed to a client that reads it',
    fault: { kind: 'huge', bytes: 64 * MiB, shape: 'raw' },
    check: async (response) => {
      expect(response.status).toBe(200);
      expect(await drain(response)).toBe(64 * MiB);
    },
  },
];

/** At the maxima, also the largest JSON answer a client may get. */
const LARGEST_JSON: MemoryCase = {
  name: 'a 60 MiB JSON answer, relayed',
  fault: { kind: 'huge', bytes: 60 * MiB, shape: 'json-message' },
  check: async (response) => {
    expect(response.status).toBe(200);
    expect(await drain(response)).toBeGreaterThan(60 * MiB);
  },
};

interface Figure {
  readonly name: string;
  readonly peakMiB: number;
  readonly afterMiB: number;
  readonly ms: number;
}

function memorySuite(title: string, vars: Record<string, string>, boundMiB: number, cases: readonly MemoryCase[]): void {
  describe(`${title}: workerd stays under idle + ${boundMiB} MiB`, () => {
    const stack = useStack({ vars });
    let pid = 0;
    let idleMiB = 0;
    const figures: Figure[] = [];

    beforeAll(async () => {
      const pids = childPids('workerd');
      expect(pids, 'exactly one workerd child of this process').toHaveLength(1);
      pid = pids[0] ?? 0;
      // Warm: the Worker loaded and one request served, then idle.
      expect((await post(stack)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 500));
      idleMiB = workerdMemory(pid).rssMiB;
    });

    afterAll(() => {
      const rows = figures.map(
        (f) =>
          `  ${f.name.padEnd(56)} peak ${f.peakMiB.toFixed(0).padStart(4)} MiB (+${(f.peakMiB - idleMiB).toFixed(0)}), after ` +
          `${f.afterMiB.toFixed(0).padStart(4)} MiB, ${f.ms} ms`,
      );
      console.log(`workerd resident memory, ${title}: idle ${idleMiB.toFixed(0)} MiB, bound ${(idleMiB + boundMiB).toFixed(0)} MiB\n${rows.join('\n')}`);
    });

    it.each(cases)('$name', async ({ name, fault, stream, check }) => {
      stack.sim.enqueue(fault);
      // The simulator compresses a bomb once, when queued: waited for here, not measured.
      if (fault.kind === 'gzip-bomb') await gzipBomb(fault.expandedBytes, bombFiller(fault.status ?? 200, 'application/json'));
      const started = Date.now();
      const peakMiB = await peakDuring(pid, async () => {
        await check(await post(stack, stream === true ? { stream: true } : {}));
      });
      const ms = Date.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 100));
      figures.push({ name, peakMiB, afterMiB: workerdMemory(pid).rssMiB, ms });
      expect(peakMiB - idleMiB).toBeLessThan(boundMiB);
    });
  });
}

memorySuite('the defaults', {}, 256, HOSTILE);
memorySuite('both caps at their maximum (64 MiB)', { MAX_UPSTREAM_JSON_BYTES: String(64 * MiB), MAX_SSE_EVENT_BYTES: String(64 * MiB) }, 512, [
  LARGEST_JSON,
  ...HOSTILE,
]);
