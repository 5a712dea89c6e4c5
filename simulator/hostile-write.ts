/**
 * What the hostile writers share: the request a fault answers, the 64 KiB pieces that huge and
 * endless bodies are made of, and the writer that waits for 'drain' between them.
 */
import type { ServerResponse } from 'node:http';
import type { HostileFault } from './hostile-faults';
import { write } from './reply';

/** What a hostile fault needs to know about the request it answers. */
export interface HostileRequest {
  pathname: string;
  /** The request's Authorization header, as received. */
  authorization: string | undefined;
  body: string;
  deltaSize: number;
}

export type HostileOf<K extends HostileFault['kind']> = Extract<HostileFault, { kind: K }>;

export const PIECE = 64 * 1024;
/** Bytes that are neither JSON nor SSE nor UTF-8: 0x00..0xff, over and over. */
export const RAW_PIECE = Buffer.from(Array.from({ length: PIECE }, (_, i) => i & 0xff));
export const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

/** Writes every piece, waiting for 'drain' when the socket is behind, then ends; stops quietly when the response closes. */
export async function writePieces(res: ServerResponse, pieces: Iterable<Buffer>, signal: AbortSignal): Promise<void> {
  for (const piece of pieces) {
    if (piece.length > 0 && !(await write(res, piece, signal))) return;
  }
  res.end();
}

/** A Chat Completions request; any other is answered as the Responses API would. */
export function isChat(pathname: string): boolean {
  return pathname === '/v1/chat/completions';
}
