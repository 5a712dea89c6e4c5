/**
 * A Reply is an answer described before it is written: a fixed body, text or bytes (sent with
 * Content-Length) or a stream of SSE frames. `writeReply` is the one writer for
 * both: it respects backpressure, pauses between events, can break off after N
 * pieces (RST or silence), and stops quietly when the client goes away.
 */
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export type Headers = Record<string, string>;

export type Reply =
  { kind: 'fixed'; status: number; headers: Headers; body: string | Buffer } | { kind: 'stream'; status: number; headers: Headers; events: Iterable<string> };

/** Break a reply off: after `after` SSE events (a fixed body: after half of it), RST or go silent. */
export interface Interruption {
  action: 'cut' | 'stall';
  after: number;
}

export interface WritePlan {
  eventDelayMs: number;
  /** Streams: write in slices of this many bytes (0: one write per event), see options.ts. */
  streamWriteBytes?: number;
  /** Aborted when the response closes (client gone or server closing). */
  signal: AbortSignal;
  interruption?: Interruption;
}

/** Lower-cases header names so that later entries override earlier ones whatever their case. */
export function normalizeHeaders(headers: Headers): Headers {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

export function jsonReply(status: number, value: unknown, headers: Headers = {}): Reply {
  return {
    kind: 'fixed',
    status,
    headers: { 'content-type': 'application/json', ...normalizeHeaders(headers) },
    body: JSON.stringify(value),
  };
}

export function sseReply(events: Iterable<string>): Reply {
  return {
    kind: 'stream',
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
    events,
  };
}

/** One SSE frame: an optional `event:` line, one `data:` line, a blank line. */
export function sseFrame(data: unknown, event?: string): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  return `${event === undefined ? '' : `event: ${event}\n`}data: ${payload}\n\n`;
}

/** The same reply as a 200 with no body bytes (the 'empty' fault). */
export function emptied(reply: Reply): Reply {
  return reply.kind === 'fixed' ? { ...reply, status: 200, body: '' } : { ...reply, status: 200, events: [] };
}

export async function writeReply(res: ServerResponse, reply: Reply, plan: WritePlan): Promise<void> {
  const { interruption, signal } = plan;
  const headers = reply.kind === 'fixed' ? { ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)) } : reply.headers;
  res.writeHead(reply.status, headers);
  if (reply.kind === 'stream') res.flushHeaders(); // SSE clients see the status line before the first event (or a cut after 0)
  const pieces =
    reply.kind === 'fixed'
      ? [interruption === undefined ? reply.body : reply.body.slice(0, reply.body.length >> 1)]
      : take(reply.events, interruption?.after ?? Infinity);
  const slices = new Slicer(reply.kind === 'stream' ? (plan.streamWriteBytes ?? 0) : 0);
  let sent = 0;
  for (const piece of pieces) {
    if (sent > 0 && plan.eventDelayMs > 0) {
      if (!(await writeAll(res, slices.flush(), signal))) return;
      if (!(await pause(plan.eventDelayMs, signal))) return;
    }
    if (!(await writeAll(res, slices.add(piece), signal))) return;
    sent += 1;
  }
  if (!(await writeAll(res, slices.flush(), signal))) return;
  if (interruption === undefined) {
    res.end();
  } else if (interruption.action === 'cut' && res.socket !== null) {
    await flushed(res.socket);
    res.socket.resetAndDestroy();
  }
  // 'stall': leave the response open; it closes when the client (or close()) goes away.
}

/**
 * Cuts what is written into slices of exactly `size` bytes, holding the rest until more comes or
 * `flush()`; size 0 passes every piece through as it is.
 */
export class Slicer {
  readonly #size: number;
  #held: Buffer[] = [];
  #heldBytes = 0;

  constructor(size: number) {
    this.#size = size;
  }

  /** The slices that are full once `piece` is added. */
  add(piece: string | Buffer): (string | Buffer)[] {
    if (this.#size === 0) return [piece];
    const bytes = Buffer.from(piece);
    this.#held.push(bytes);
    this.#heldBytes += bytes.byteLength;
    if (this.#heldBytes < this.#size) return [];
    const all = Buffer.concat(this.#held, this.#heldBytes);
    const full = all.byteLength - (all.byteLength % this.#size);
    const out: Buffer[] = [];
    for (let start = 0; start < full; start += this.#size) out.push(all.subarray(start, start + this.#size));
    const rest = all.subarray(full);
    this.#held = rest.byteLength === 0 ? [] : [rest];
    this.#heldBytes = rest.byteLength;
    return out;
  }

  /** What is held, as one last (shorter) slice. */
  flush(): Buffer[] {
    if (this.#heldBytes === 0) return [];
    const rest = Buffer.concat(this.#held, this.#heldBytes);
    this.#held = [];
    this.#heldBytes = 0;
    return [rest];
  }
}

async function writeAll(res: ServerResponse, chunks: readonly (string | Uint8Array)[], signal: AbortSignal): Promise<boolean> {
  for (const chunk of chunks) if (!(await write(res, chunk, signal))) return false;
  return true;
}

function* take<T>(items: Iterable<T>, count: number): Generator<T> {
  if (count <= 0) return;
  let taken = 0;
  for (const item of items) {
    yield item;
    taken += 1;
    if (taken >= count) return;
  }
}

/** Resolves true after `ms`, false (timer cleared) if the response closes first. */
export async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** Writes one piece; when the buffer is full, waits for 'drain'. False if the response closed. */
export function write(res: ServerResponse, chunk: string | Uint8Array, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const settle = (ok: boolean): void => {
      res.off('drain', onDrain);
      signal.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onDrain = (): void => settle(true);
    const onAbort = (): void => settle(false);
    res.once('drain', onDrain);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves once everything written so far has been handed to the kernel (a zero-byte write is queued behind it). */
function flushed(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.write(Buffer.alloc(0), () => resolve()));
}
