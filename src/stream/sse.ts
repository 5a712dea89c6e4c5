/**
 * SSE framing: turns a byte stream into whole events, whatever the chunk boundaries, and
 * writes events back out. Only whole events are ever re-emitted, so the relay can put its
 * own events (heartbeats, a terminal event) between them without corrupting the stream.
 */

export interface SseEvent {
  /** The event's lines, normalised to "\n" and ending with the blank line. */
  readonly text: string;
  /** The `event:` field, if any. */
  readonly event: string | null;
  /** The `data:` lines joined with "\n"; null for a comment-only event. */
  readonly data: string | null;
}

const BOUNDARY = /\r\n\r\n|\n\n|\r\r/g;

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
      const block = buffer.slice(start, match.index);
      start = match.index + match[0].length;
      if (block.trim() !== '') events.push(parseEvent(block));
    }
    const rest = buffer.slice(start);
    this.#pieces = rest === '' ? [] : [rest];
    this.#pendingChars = rest.length;
    this.#tail = rest.slice(-3);
    return events;
  }

  /** Whatever is left at end of stream: an event whose blank line never came. */
  rest(): SseEvent | null {
    const block = this.#pieces.join('') + this.#decoder.decode();
    this.#pieces = [];
    this.#pendingChars = 0;
    this.#tail = '';
    return block.trim() === '' ? null : parseEvent(block);
  }
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
