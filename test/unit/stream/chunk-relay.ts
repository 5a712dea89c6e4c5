/**
 * What the byte relay's tests share (stream/chunk-source.ts): the relay over a scripted upstream,
 * with a known secret to redact; what the client reads, as one text; Responses events to script.
 */
import { Redactor } from '../../../src/core/redact';
import { upstreamChunks, type ChunkItem, type ChunkSource } from '../../../src/stream/chunk-source';
import { type WireApi } from '../../../src/stream/terminal';
import { encode, itemsToEnd, relayOptions, type ScriptedUpstream } from './scripted-upstream';

export const SECRET = 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z';
/** A key whose letters are all of one case (Azure's 32 hex): its upper-cased echo is the key. */
export const HEX_SECRET = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

export function chunksOver(upstream: ScriptedUpstream, wire: WireApi, first: string | Uint8Array): ChunkSource {
  return upstreamChunks(relayOptions(upstream, wire, first, { redactor: Redactor.patterns.with([SECRET, HEX_SECRET]) }));
}

/** Every item up to and including the end (no time passes). */
export const drain = (source: ChunkSource): Promise<ChunkItem[]> => itemsToEnd(source);

/** The bytes an item hands the client: its chunks, a heartbeat as "<hb>", the closing event's text. */
function bytesOf(item: ChunkItem): Uint8Array[] {
  if (item.kind === 'chunks') return [...item.chunks];
  return [encode(item.kind === 'heartbeat' ? '<hb>' : (item.closing?.text ?? ''))];
}

/** What the client reads, decoded as a whole (a character may be split between chunks). */
export function transcript(items: readonly ChunkItem[]): string {
  return Buffer.concat(items.flatMap(bytesOf)).toString('utf8');
}

export const responsesEvent = (type: string, sequence: number, extra = ''): string =>
  `event: ${type}\ndata: {"type":"${type}","sequence_number":${sequence}${extra}}\n\n`;
export const CREATED = responsesEvent('response.created', 0, ',"response":{"id":"resp_1","model":"gpt-x"}');
export const delta = (sequence: number, text: string): string => responsesEvent('response.output_text.delta', sequence, `,"delta":"${text}"`);
export const COMPLETED = responsesEvent('response.completed', 9, ',"response":{"id":"resp_1","usage":{"input_tokens":1,"output_tokens":2,"total_tokens":3}}');
