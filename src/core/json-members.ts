/**
 * Pure: where the members of a JSON object's top level are, in its bytes, so that one member's
 * value can be replaced and every other byte left as the client sent it (key order, whitespace,
 * number spelling, escapes, even invalid UTF-8 inside strings). Works on bytes: JSON's
 * structure is ASCII, and no byte of a multi-byte UTF-8 sequence is ASCII. The input must be a
 * JSON object that JSON.parse accepted (after UTF-8 decoding); anything else throws.
 */

/** A byte range: [start, end). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface TopLevelObject {
  /** Where the object starts ('{'). */
  readonly open: number;
  /** Each member's decoded name and the byte range of its value, in order. */
  readonly members: readonly { readonly name: string; readonly value: ByteRange }[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isSpace = (byte: number | undefined): boolean => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

class Scanner {
  index = 0;

  constructor(private readonly bytes: Uint8Array) {}

  skipSpace(): void {
    while (isSpace(this.bytes[this.index])) this.index += 1;
  }

  expect(byte: number): void {
    this.skipSpace();
    if (this.bytes[this.index] !== byte) throw new Error(`JSON scan: expected "${String.fromCharCode(byte)}" at byte ${this.index}`);
    this.index += 1;
  }

  peek(): number | undefined {
    this.skipSpace();
    return this.bytes[this.index];
  }

  /** Skips a string (at its opening quote); returns its range, quotes included. */
  string(): ByteRange {
    const start = this.index;
    this.expect(QUOTE);
    for (;;) {
      const byte = this.bytes[this.index];
      if (byte === undefined) throw new Error('JSON scan: unterminated string');
      this.index += byte === BACKSLASH ? 2 : 1;
      if (byte === QUOTE) return { start, end: this.index };
    }
  }

  /** Skips one value of any kind; returns its range. */
  value(): ByteRange {
    const first = this.peek();
    const start = this.index;
    if (first === QUOTE) return this.string();
    if (first === OPEN_BRACE || first === OPEN_BRACKET) {
      let depth = 0;
      do {
        const byte = this.bytes[this.index];
        if (byte === undefined) throw new Error('JSON scan: unterminated object or array');
        if (byte === QUOTE) {
          this.string();
          continue;
        }
        if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth += 1;
        else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth -= 1;
        this.index += 1;
      } while (depth > 0);
      return { start, end: this.index };
    }
    // A number, true, false or null: up to the next delimiter.
    for (
      let byte = this.bytes[this.index];
      byte !== undefined && byte !== COMMA && byte !== CLOSE_BRACE && byte !== CLOSE_BRACKET && !isSpace(byte);
      byte = this.bytes[this.index]
    )
      this.index += 1;
    if (this.index === start) throw new Error(`JSON scan: expected a value at byte ${start}`);
    return { start, end: this.index };
  }
}

/** The top-level members of a JSON object text. */
export function topLevelMembers(bytes: Uint8Array): TopLevelObject {
  const scan = new Scanner(bytes);
  scan.skipSpace();
  const open = scan.index;
  scan.expect(OPEN_BRACE);
  const members: { name: string; value: ByteRange }[] = [];
  if (scan.peek() === CLOSE_BRACE) return { open, members };
  for (;;) {
    scan.skipSpace();
    const key = scan.string();
    scan.expect(COLON);
    const value = scan.value();
    members.push({ name: memberName(bytes.subarray(key.start, key.end)), value });
    if (scan.peek() === CLOSE_BRACE) return { open, members };
    scan.expect(COMMA);
  }
}

/** A key's name: its bytes when it has no escapes (the usual case), else what JSON.parse makes of it. */
function memberName(quoted: Uint8Array): string {
  const text = new TextDecoder().decode(quoted);
  return quoted.includes(BACKSLASH) ? (JSON.parse(text) as string) : text.slice(1, -1);
}

/** bytes with each range (in order, not overlapping) replaced by `replacement`. */
export function spliceRanges(bytes: Uint8Array, ranges: readonly ByteRange[], replacement: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const range of ranges) {
    parts.push(bytes.subarray(from, range.start), replacement);
    from = range.end;
  }
  parts.push(bytes.subarray(from));
  const out = new Uint8Array(parts.reduce((total, part) => total + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
