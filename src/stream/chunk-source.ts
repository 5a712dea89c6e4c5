/**
 * The bytes of one upstream SSE body passed on as they came, with every guarantee of the event
 * relay (stream/source.ts): heartbeats only between whole events, the idle cap, the largest
 * event, redaction, and one end with the closing event owed. It never splits or re-encodes a
 * stream that needs no rewriting: each read is scanned for the end of its last whole event (the
 * rest waits for the end of its event), decoded once to look for secrets (read through its JSON
 * escapes too, only when it holds one that could stand for a secret's character: core/redact.ts)
 * and for the few events the wire's watch learns from (its marks), and handed on as the same bytes. Only the chunk
 * with the terminal event, or one holding a secret, is rewritten (redacted). After the terminal
 * event the rest of the body is read, bounded, rather than cancelled: the upstream connection
 * can then be reused. Pull-based, like the event source.
 */
import { endItem, NextItem, type EndItem, type SourceOptions, type StreamEnd } from './source';
import { endedRest, parseEvent } from './sse';
import { boundaryEnd, eachEvent, eventAround, lastEventLines, type EventSpan } from './sse-bytes';
import type { StreamReport } from './terminal';
import { RelayClock } from './clock';
import { PacedReads } from './paced-reads';

export type ChunkItem =
  /** Bytes of whole events, in upstream order (never empty). */
  | { readonly kind: 'chunks'; readonly chunks: readonly Uint8Array[] }
  /** The client has got no data for heartbeatMs (upstream comments do not count). */
  | { readonly kind: 'heartbeat' }
  | EndItem;

export interface ChunkSource {
  next(): Promise<ChunkItem>;
  /** The client went away: stop reading and cancel the upstream body. */
  cancel(): void;
  report(): StreamReport;
}

/** After the terminal event, at most this much more of the body is read before it is cancelled... */
export const DRAIN_MAX_BYTES = 64 * 1024;
/** ...and for at most this long. */
export const DRAIN_MAX_MS = 1_000;

/** A line of a data field: the idle cap is fed by data, not by comments, and only data puts the next heartbeat off. */
const DATA_LINE = /(?:^|[\r\n])data(?:[:\r\n]|$)/;
const utf8 = new TextDecoder();
const encoder = new TextEncoder();

/** The text of some pieces, decoded at once (a decoder's streaming mode is far slower in workerd). */
function decodeAll(pieces: readonly Uint8Array[], size: number): string {
  if (pieces.length === 1 && pieces[0] !== undefined) return utf8.decode(pieces[0]);
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const piece of pieces) {
    bytes.set(piece, offset);
    offset += piece.byteLength;
  }
  return utf8.decode(bytes);
}

/** The first `count` bytes of the pieces, as views of them. */
function firstBytes(pieces: readonly Uint8Array[], count: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let rest = count;
  for (const piece of pieces) {
    if (rest <= 0) break;
    out.push(rest >= piece.byteLength ? piece : piece.subarray(0, rest));
    rest -= piece.byteLength;
  }
  return out;
}

export function upstreamChunks(options: SourceOptions): ChunkSource {
  const { reader, watch, heartbeatMs, idleMs, maxEventBytes, redactor } = options;
  const now = options.now ?? Date.now;
  let first: Uint8Array | null = options.first;
  /** The start of an event whose end has not arrived. */
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  /** The text of the whole events handed on last: its last event is observed before a closing event is made. */
  let lastText = '';
  let state: 'open' | 'terminal' | 'over' = 'open';
  const clock = new RelayClock(heartbeatMs, idleMs, now);
  const reads = new PacedReads(reader, options.pending ?? null, clock, idleMs);

  const end = (kind: Exclude<StreamEnd, 'client-gone'>, cause: string | null): EndItem => {
    state = 'over';
    clock.stop();
    if (kind !== 'upstream-closed') reader.cancel().catch(() => undefined);
    const last = cause === null ? null : lastEventLines(lastText);
    if (last !== null) watch.observe(parseEvent(last)); // the closing event follows it (its sequence number)
    return endItem(options, kind, cause);
  };

  /** The span of the terminal event among the watch's marks (null: none); every marked event is observed. */
  const terminalSpan = (text: string): EventSpan | null => {
    if (watch.marks === null) return null;
    let observed = 0;
    for (const match of text.matchAll(watch.marks)) {
      if (match.index < observed) continue;
      const span = eventAround(text, match.index);
      observed = span.end;
      if (watch.observe(parseEvent(text.slice(span.start, span.linesEnd))) === 'end') return span;
    }
    return null;
  };

  /** The same bytes as `pieces` up to `end` of their text (where each character is one byte, its offset is theirs). */
  const bytesUpTo = (pieces: readonly Uint8Array[], text: string, end: number): Uint8Array[] => {
    const size = pieces.reduce((sum, piece) => sum + piece.byteLength, 0);
    return text.length === size ? firstBytes(pieces, end) : [encoder.encode(text.slice(0, end))];
  };

  /**
   * Whole events, as they came; rewritten only when one holds a secret, or when a terminal event
   * that reports a failure (redacted by pattern too: its message is the upstream's) changes by
   * it. A completed answer's terminal event is the model's output, treated as the deltas before
   * it were. Only a chunk that holds a secret is split into its events. `data`: whether they
   * hold a data line (comments alone do not put the next heartbeat off).
   */
  const emit = (pieces: readonly Uint8Array[], text: string, data: boolean): ChunkItem => {
    if (data) clock.sent();
    const terminal = terminalSpan(text);
    const secret = redactor.holdsSecret(text);
    if (terminal === null && !secret) {
      lastText = text;
      return { kind: 'chunks', chunks: pieces };
    }
    const kept = terminal === null ? text : text.slice(0, terminal.end);
    lastText = terminal === null ? kept : ''; // after the terminal event no closing event is made
    if (terminal !== null) {
      state = 'terminal';
      clock.limit(DRAIN_MAX_MS);
    }
    const failure = terminal !== null && watch.report().failed;
    if (!secret && terminal !== null) {
      if (!failure) return { kind: 'chunks', chunks: bytesUpTo(pieces, text, terminal.end) };
      const last = kept.slice(terminal.start);
      const redacted = redactor.text(last);
      if (redacted === last) return { kind: 'chunks', chunks: bytesUpTo(pieces, text, terminal.end) };
      return { kind: 'chunks', chunks: [encoder.encode(kept.slice(0, terminal.start) + redacted)] };
    }
    const events = eachEvent(kept);
    const last = failure ? events.length - 1 : -1;
    const redacted = events.map((event, index) => (index === last || redactor.holdsSecret(event) ? redactor.text(event) : event));
    if (redacted.some((event, index) => event !== events[index])) return { kind: 'chunks', chunks: [encoder.encode(redacted.join(''))] };
    return { kind: 'chunks', chunks: bytesUpTo(pieces, text, kept.length) };
  };

  const hold = (piece: Uint8Array): void => {
    if (piece.byteLength === 0) return;
    held.push(piece);
    heldBytes += piece.byteLength;
  };

  const tooLarge = (): EndItem => end('too-large', `the upstream sent an event larger than ${maxEventBytes} bytes (MAX_SSE_EVENT_BYTES)`);

  /** What the next call hands out, already decided. */
  const after = new NextItem<EndItem>();
  const queue = (item: ChunkItem, then: EndItem): ChunkItem => {
    after.put(then);
    return item;
  };

  /**
   * The upstream ended the body: what was held is its last event (unless its last line was cut
   * off, see endedRest: then it is dropped), then the closing event if one is owed.
   */
  const closed = (): ChunkItem => {
    const rest = decodeAll(held, heldBytes);
    const event = endedRest(rest);
    const pieces = event === null || event.length === rest.length ? held : [...held, encoder.encode(event.slice(rest.length))];
    held = [];
    heldBytes = 0;
    const item = event === null ? null : emit(pieces, event, DATA_LINE.test(event));
    if (item !== null && state === 'terminal') {
      state = 'over';
      clock.stop();
      return queue(item, endItem(options, 'terminal', null));
    }
    const ending = end('upstream-closed', 'the upstream closed the stream before its terminal event');
    return item === null ? ending : queue(item, ending);
  };

  const read = async (): Promise<ChunkItem> => {
    for (;;) {
      let chunk: Uint8Array;
      if (first !== null) {
        chunk = first;
        first = null;
      } else {
        const pulled = await reads.next();
        if (pulled.kind === 'heartbeat') return pulled;
        if (pulled.kind === 'end') return end(pulled.end, pulled.cause);
        if (pulled.kind === 'done') return closed();
        chunk = pulled.bytes;
      }
      const cut = boundaryEnd(chunk, held);
      if (cut === null) {
        hold(chunk);
        clock.fed(); // the bytes of an event still arriving
        if (heldBytes > maxEventBytes) return tooLarge();
        continue;
      }
      const pieces = held.length === 0 ? [chunk.subarray(0, cut)] : cut === 0 ? held : [...held, chunk.subarray(0, cut)];
      const size = heldBytes + cut;
      held = [];
      heldBytes = 0;
      hold(chunk.subarray(cut));
      const text = decodeAll(pieces, size);
      // The idle timer is fed by data: data events, and the bytes of one still arriving.
      const data = DATA_LINE.test(text);
      if (heldBytes > 0 || data) clock.fed();
      if (heldBytes > maxEventBytes || (size > maxEventBytes && eachEvent(text).some((event) => event.length > maxEventBytes))) return tooLarge();
      return emit(pieces, text, data);
    }
  };

  /** After the terminal event: the rest of the body read, up to DRAIN_MAX_BYTES and DRAIN_MAX_MS, then cancelled. */
  const drain = async (): Promise<EndItem> => {
    let drained = 0;
    for (;;) {
      const pulled = await reads.next();
      if (pulled.kind === 'done') {
        state = 'over';
        clock.stop();
        return endItem(options, 'terminal', null);
      }
      drained += pulled.kind === 'chunk' ? pulled.bytes.byteLength : 0;
      // Too much, too long, or broken: a body past its terminal event owes the client nothing more.
      if (pulled.kind !== 'chunk' || drained > DRAIN_MAX_BYTES) return end('terminal', null);
    }
  };

  return {
    next: async () => {
      const decided = after.take();
      if (decided !== null) return decided;
      if (state === 'terminal') return drain();
      if (state === 'over') throw new Error('the event source has ended');
      return read();
    },
    cancel: () => {
      if (state === 'over') return;
      state = 'over';
      clock.stop();
      reader.cancel().catch(() => undefined);
    },
    report: () => watch.report(),
  };
}
