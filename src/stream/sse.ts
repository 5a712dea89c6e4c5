/**
 * SSE framing: turns a byte stream into whole events, whatever the chunk boundaries, and
 * writes events back out. Only whole events are ever re-emitted, so the relay can put its
 * own events (heartbeats, a terminal event) between them without corrupting the stream.
 * As the SSE spec has it, a line ends at CRLF, LF or CR, in any mix, and an empty line ends an
 * event; a CRLF is one line end, never two.
 */

export interface SseEvent {
  /** The event's lines, normalised to "\n" and ending with the blank line. */
  readonly text: string;
  /** The `event:` field, if any. */
  readonly event: string | null;
  /** The `data:` lines joined with "\n"; null for a comment-only event. */
  readonly data: string | null;
}

const LF = 10;
const CR = 13;

/** The end of an event in a text of whole events: a line end, then an empty line (a CR before a LF is half a CRLF). */
export const BOUNDARY = /(?:\r\n|\n|\r(?!\n))(?:\r\n|\n|\r(?!\n))/g;

/** The code of each character of a text, -1 outside it. */
export function charCodes(text: string): (index: number) => number {
  return (index) => (index >= 0 && index < text.length ? text.charCodeAt(index) : -1);
}

const isLineEnd = (code: number): boolean => code === LF || code === CR;

/** The text without the line ends it ends with (a loop: `/[\r\n]+$/` takes quadratic time on a long run of them mid-text). */
export function withoutLineEndsAtEnd(text: string): string {
  let end = text.length;
  while (end > 0 && isLineEnd(text.charCodeAt(end - 1))) end -= 1;
  return end === text.length ? text : text.slice(0, end);
}

/**
 * Whether an event ends just before `end`: what comes before it ends with a line end and then an
 * empty line. `code(i)` is the character (or byte) at i, -1 where none is known. When more may
 * follow (`open`), a CR that is the last thing known may be the first half of a CRLF: it ends the
 * empty line only after another CR, so that a stream of CR line ends is not held back and one of
 * CRLF line ends is never cut between its CR and LF.
 */
export function eventEndsAt(code: (index: number) => number, end: number, open: boolean): boolean {
  const last = code(end - 1);
  if (last === LF) {
    const before = code(end - 2);
    return before === LF || (before === CR && isLineEnd(code(end - 3)));
  }
  if (last !== CR) return false;
  const next = code(end);
  if (next === LF) return false;
  const before = code(end - 2);
  return next === -1 && open ? before === CR : isLineEnd(before);
}

export function parseEvent(block: string): SseEvent {
  const plain = !block.includes('\r');
  const lines = plain ? block.split('\n') : block.split(/\r\n|\n|\r/);
  let event: string | null = null;
  const data: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return { text: `${plain ? block : lines.join('\n')}\n\n`, event, data: data.length > 0 ? data.join('\n') : null };
}

/**
 * Incremental splitter: push chunks, get the events they complete. Text that completes no event
 * is kept as pieces and only the new text is scanned, so an event of many megabytes arriving in
 * small chunks costs linear time, not quadratic.
 */
export class SseSplitter {
  readonly #decoder = new TextDecoder();
  #pieces: string[] = [];
  #pendingChars = 0;
  /** The last characters kept, in case a boundary straddles two chunks. */
  #tail = '';

  /** How much of an event whose end has not arrived yet is held. */
  get pendingChars(): number {
    return this.#pendingChars;
  }

  push(chunk: Uint8Array): SseEvent[] {
    const text = this.#decoder.decode(chunk, { stream: true });
    BOUNDARY.lastIndex = 0;
    if (!BOUNDARY.test(this.#tail + text)) {
      this.#pieces.push(text);
      this.#pendingChars += text.length;
      this.#tail = (this.#tail + text).slice(-3);
      return [];
    }
    const buffer = this.#pieces.join('') + text;
    const events: SseEvent[] = [];
    let start = 0;
    BOUNDARY.lastIndex = 0;
    for (let match = BOUNDARY.exec(buffer); match !== null; match = BOUNDARY.exec(buffer)) {
      const end = match.index + match[0].length;
      if (end === buffer.length && !eventEndsAt(charCodes(buffer), end, true)) break; // its last CR may be half a CRLF
      const block = buffer.slice(start, match.index);
      start = end;
      if (block.trim() !== '') events.push(parseEvent(block));
    }
    const rest = buffer.slice(start);
    this.#pieces = rest === '' ? [] : [rest];
    this.#pendingChars = rest.length;
    this.#tail = rest.slice(-3);
    return events;
  }

  /** Whatever is left at end of stream: an event whose blank line never came, if its last line is whole (see endedRest). */
  rest(): SseEvent | null {
    const block = endedRest(this.#pieces.join('') + this.#decoder.decode());
    this.#pieces = [];
    this.#pendingChars = 0;
    this.#tail = '';
    return block === null ? null : parseEvent(withoutLineEndsAtEnd(block));
  }
}

/**
 * The text held when a body ends, as an event: with the line end its empty line lacks, if any.
 * Null when it is none: blank, or its last line cut off (no line end), which the SSE spec
 * discards; an event whose last line is whole (`data: [DONE]\n`, then the end) is kept.
 */
export function endedRest(rest: string): string | null {
  const last = rest.charAt(rest.length - 1);
  if ((last !== '\n' && last !== '\r') || rest.trim() === '') return null;
  return eventEndsAt(charCodes(rest), rest.length, false) ? rest : rest + last;
}

/** A data event: `event: <type>` (when given) and one `data:` line of JSON. */
export function dataEvent(type: string | null, payload: unknown): SseEvent {
  const data = JSON.stringify(payload);
  const head = type === null ? '' : `event: ${type}\n`;
  return { text: `${head}data: ${data}\n\n`, event: type, data };
}

export function commentEvent(text: string): SseEvent {
  return { text: `: ${text}\n\n`, event: null, data: null };
}
