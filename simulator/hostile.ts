/**
 * Writes the hostile faults (types and validation: hostile-faults.ts): each kind in a file of its
 * own (hostile-echo-key.ts, hostile-huge.ts, hostile-trickle.ts), the gzip bomb and the redirect
 * here. Bodies that can be huge are streamed in 64 KiB writes that wait for 'drain'
 * (hostile-write.ts); nothing holds a whole huge body, and every timer stops when the response
 * closes (client gone or close()).
 */
import type { ServerResponse } from 'node:http';
import { bombFiller, gzipBomb } from './bomb';
import type { Fault } from './faults';
import type { HostileFault } from './hostile-faults';
import { echoKeyReply } from './hostile-echo-key';
import { writeHuge } from './hostile-huge';
import { writeTrickle } from './hostile-trickle';
import { PIECE, writePieces, type HostileOf, type HostileRequest } from './hostile-write';
import { writeReply, type Reply, type WritePlan } from './reply';

export type { HostileRequest } from './hostile-write';

/** Starts work a fault will need (a gzip bomb's compression) as soon as it is queued. */
export function prepareFault(fault: Fault): void {
  if (fault.kind === 'gzip-bomb') {
    const status = fault.status ?? 200;
    gzipBomb(fault.expandedBytes, bombFiller(status, fault.contentType ?? 'application/json')).catch(() => undefined);
  }
}

export async function answerHostile(res: ServerResponse, fault: HostileFault, request: HostileRequest, plan: WritePlan): Promise<void> {
  switch (fault.kind) {
    case 'echo-key':
      return writeReply(res, echoKeyReply(fault, request), plan);
    case 'gzip-bomb':
      return writeGzipBomb(res, fault, plan);
    case 'huge':
      return writeHuge(res, fault, request, plan);
    case 'trickle':
      return writeTrickle(res, fault, request, plan);
    case 'redirect':
      return writeReply(res, redirectReply(fault), plan);
  }
}

// --- gzip-bomb --------------------------------------------------------------------------

async function writeGzipBomb(res: ServerResponse, fault: HostileOf<'gzip-bomb'>, plan: WritePlan): Promise<void> {
  const status = fault.status ?? 200;
  const contentType = fault.contentType ?? 'application/json';
  const compressed = await gzipBomb(fault.expandedBytes, bombFiller(status, contentType));
  if (plan.signal.aborted) return;
  res.writeHead(status, { 'content-type': contentType, 'content-encoding': 'gzip', 'content-length': String(compressed.length) });
  await writePieces(res, slices(compressed), plan.signal);
}

function* slices(buffer: Buffer): Generator<Buffer> {
  for (let start = 0; start < buffer.length; start += PIECE) yield buffer.subarray(start, start + PIECE);
}

// --- redirect ---------------------------------------------------------------------------

function redirectReply(fault: HostileOf<'redirect'>): Reply {
  const href = fault.location.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    kind: 'fixed',
    status: fault.status,
    headers: { location: fault.location, 'content-type': 'text/html; charset=utf-8' },
    body: `<html><head><title>Moved</title></head><body><a href="${href}">${href}</a></body></html>\n`,
  };
}
