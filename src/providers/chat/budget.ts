/**
 * Pure: what one translated answer may hold. No event the translation makes may be larger than
 * the largest event the gateway accepts (MAX_SSE_EVENT_BYTES); the largest it makes is
 * `response.completed` (and the JSON answer), which carries the whole output, the text of messages
 * twice (in `output` and in `output_text`). So every piece a provider adds is counted, as it
 * arrives, in the bytes it takes there (JSON-escaped, UTF-8), and the tool calls are counted: a
 * provider cannot make an answer hold more than MAX_TOOL_CALLS of them (every new chat `index`
 * opens one, and one event can carry thousands). Past either limit the budget is over for good
 * and says why; the builder then takes nothing more.
 */

/** Far above any real count of parallel calls in one answer. */
export const MAX_TOOL_CALLS = 128;

/** What the largest event holds beside its items (type, ids, status, model, usage, an error message), at most. */
const ENVELOPE_BYTES = 2048;

/** What one output item holds beside the text, names and ids counted on their own (type, item id, status), at most. */
export const ITEM_BYTES = 256;

/** The bytes of a string inside a JSON document as JSON.stringify writes it, UTF-8 encoded, without its quotes. */
export function jsonBytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 0x22 || code === 0x5c)
      bytes += 2; // \" and \\
    else if (code < 0x20)
      bytes += code >= 0x08 && code <= 0x0d && code !== 0x0b ? 2 : 6; // \b \t \n \f \r, else \u00XX
    else if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code < 0xd800 || code > 0xdfff) bytes += 3;
    else if (code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4; // a pair: one code point of four bytes
      i += 1;
    } else bytes += 6; // a lone surrogate is written as \uXXXX
  }
  return bytes;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

export class AnswerBudget {
  readonly #maxBytes: number;
  #bytes: number;
  #calls = 0;
  #over: string | null = null;

  /** maxBytes: MAX_SSE_EVENT_BYTES; model: the name every response object carries. */
  constructor(maxBytes: number, model: string) {
    this.#maxBytes = maxBytes;
    this.#bytes = ENVELOPE_BYTES + jsonBytes(model);
  }

  /** Why the answer is over its limits (to follow "the upstream …"), or null while it is within them. */
  get over(): string | null {
    return this.#over;
  }

  /** Takes `bytes` more of the largest event; false (and the budget over) when they do not fit. */
  take(bytes: number): boolean {
    if (this.#over !== null) return false;
    if (this.#bytes + bytes > this.#maxBytes) {
      this.#over = `sent an answer larger than ${this.#maxBytes} bytes once translated (MAX_SSE_EVENT_BYTES)`;
      return false;
    }
    this.#bytes += bytes;
    return true;
  }

  /** Counts one more tool call; false (and the budget over) past MAX_TOOL_CALLS. */
  call(): boolean {
    if (this.#over !== null) return false;
    if (this.#calls >= MAX_TOOL_CALLS) {
      this.#over = `sent an answer with more than ${MAX_TOOL_CALLS} tool calls (the most the gateway translates in one answer)`;
      return false;
    }
    this.#calls += 1;
    return true;
  }
}
