/**
 * SSE framing on bytes and on text, for a relay that passes a stream on as it came: where the
 * last whole event of a chunk ends, and which event holds a given place of a text. Only whole
 * events are ever handed on, so heartbeats and a closing event still go between events.
 * Boundaries are those of stream/sse.ts: "\n\n", "\r\n\r\n" and "\r\r".
 */

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
 * How many bytes of chunk end with its last event boundary (0: none), the bytes before it being
 * the pieces already held (a boundary may straddle them). Native scans for "\n" find "\n\n" and
 * "\r\n\r\n" (any boundary is a place to cut; a later "\r\r" only waits for the next chunk);
 * a chunk with a "\r" and no such boundary is scanned byte by byte for "\r\r".
 */
export function boundaryEnd(chunk: Uint8Array, before: readonly Uint8Array[]): number {
  const at = (index: number): number => (index >= 0 ? (chunk[index] ?? -1) : byteBefore(before, -index));
  for (let index = chunk.lastIndexOf(LF); index >= 0; index = index === 0 ? -1 : chunk.lastIndexOf(LF, index - 1)) {
    const previous = at(index - 1);
    if (previous === LF || (previous === CR && at(index - 2) === LF && at(index - 3) === CR)) return index + 1;
  }
  if (chunk.indexOf(CR) === -1) return 0;
  for (let index = chunk.byteLength - 1; index >= 0; index -= 1) {
    if (at(index) === CR && at(index - 1) === CR) return index + 1;
  }
  return 0;
}

const BOUNDARY = /\r\n\r\n|\n\n|\r\r/g;

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
  for (let i = Math.min(index, text.length) - 1; i > 0; i -= 1) {
    const char = text.charCodeAt(i);
    if (char !== LF && char !== CR) continue;
    const previous = text.charCodeAt(i - 1);
    if (previous === char) return i + 1; // "\n\n" or "\r\r"
    if (char === LF && previous === CR && i >= 3 && text.charCodeAt(i - 2) === LF && text.charCodeAt(i - 3) === CR) return i + 1;
  }
  return 0;
}

/** The last event of a text of whole events (its lines, without the blank line), or null. */
export function lastEventLines(text: string): string | null {
  const lines = text.replace(/[\r\n]+$/, '');
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
