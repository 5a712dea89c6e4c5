/**
 * SSE framing on bytes and on text, for a relay that passes a stream on as it came: where the
 * last whole event of a chunk ends, and which event holds a given place of a text. Only whole
 * events are ever handed on, so heartbeats and a closing event still go between events.
 * Boundaries are those of stream/sse.ts (an empty line, lines ended by CRLF, LF or CR in any mix).
 */
import { BOUNDARY as SSE_BOUNDARY, charCodes, eventEndsAt, withoutLineEndsAtEnd } from './sse';

/** This module's own copy of the boundary search (a /g pattern keeps its place in lastIndex: one per module that moves it). */
const BOUNDARY = new RegExp(SSE_BOUNDARY.source, SSE_BOUNDARY.flags);

const LF = 10;
const CR = 13;

/** The byte `back` places before the end of the pieces (1: the last byte), or -1. */
function byteBefore(pieces: readonly Uint8Array[], back: number): number {
  let rest = back;
  for (let index = pieces.length - 1; index >= 0; index -= 1) {
    const piece = pieces[index] ?? new Uint8Array();
    if (rest <= piece.byteLength) return piece[piece.byteLength - rest] ?? -1;
    rest -= piece.byteLength;
  }
  return -1;
}

/**
 * How many bytes of chunk end with its last event boundary (null: none; 0: the bytes already held
 * end with one, which this chunk shows is not half a CRLF), the bytes before it being the pieces
 * already held (a boundary may straddle them). A native scan for "\n" from the end finds the
 * boundaries of LF and CRLF lines; only where a "\r" follows the last of them (or the chunk has
 * one and no such boundary) are the CRs looked at too, from the end.
 */
export function boundaryEnd(chunk: Uint8Array, before: readonly Uint8Array[]): number | null {
  const code = (index: number): number => (index >= 0 ? (chunk[index] ?? -1) : byteBefore(before, -index));
  let found: number | null = null;
  for (let index = chunk.lastIndexOf(LF); index >= 0 && found === null; index = index === 0 ? -1 : chunk.lastIndexOf(LF, index - 1)) {
    if (eventEndsAt(code, index + 1, true)) found = index + 1;
  }
  const from = found ?? 0;
  if (chunk.indexOf(CR, from) !== -1) {
    for (let index = chunk.lastIndexOf(CR); index >= from; index = index === 0 ? -1 : chunk.lastIndexOf(CR, index - 1)) {
      if (eventEndsAt(code, index + 1, true)) return index + 1;
    }
  }
  if (found !== null || before.length === 0) return found;
  return eventEndsAt(code, 0, true) ? 0 : null;
}

/** The event of text that holds index: where it starts, where its lines end, where its boundary ends. */
export interface EventSpan {
  readonly start: number;
  readonly linesEnd: number;
  readonly end: number;
}

export function eventAround(text: string, index: number): EventSpan {
  const start = eventStart(text, index);
  BOUNDARY.lastIndex = index;
  const match = BOUNDARY.exec(text);
  return match === null ? { start, linesEnd: text.length, end: text.length } : { start, linesEnd: match.index, end: match.index + match[0].length };
}

/** Where the event that holds index starts: just past the nearest boundary that ends at or before it (0: none). */
function eventStart(text: string, index: number): number {
  // Backwards, one character at a time: an event is short next to a text, and a boundary the stream never uses is not searched for to its start.
  const code = charCodes(text);
  for (let end = Math.min(index, text.length); end > 1; end -= 1) {
    const char = text.charCodeAt(end - 1);
    if ((char === LF || char === CR) && eventEndsAt(code, end, false)) return end;
  }
  return 0;
}

/** The last event of a text of whole events (its lines, without the blank line), or null. */
export function lastEventLines(text: string): string | null {
  const lines = withoutLineEndsAtEnd(text);
  if (lines.trim() === '') return null;
  const span = eventAround(lines, lines.length);
  return lines.slice(span.start);
}

/** Every event of a text, each with its boundary (the last one may lack it). */
export function eachEvent(text: string): string[] {
  const events: string[] = [];
  let start = 0;
  BOUNDARY.lastIndex = 0;
  for (let match = BOUNDARY.exec(text); match !== null; match = BOUNDARY.exec(text)) {
    const end = match.index + match[0].length;
    events.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) events.push(text.slice(start));
  return events;
}
