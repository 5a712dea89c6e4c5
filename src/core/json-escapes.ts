/**
 * A text seen through its JSON string escapes (`\u0073`, `\/`, `\"`, `\\`, ...), as a client's
 * JSON parser reads it, with where each of its characters stands in the text as sent: a secret
 * found in the view is redacted in the text itself. Escapes nested in a JSON string inside a
 * JSON string (`\\u0073`, a tool call's arguments) are seen through too, a few levels deep. A
 * text is decoded only when a cheap check (a backslash, then `hint`) says an escape in it could
 * stand for a character of a secret. Pure.
 */

/** How many levels of nested JSON strings are seen through. */
const MAX_DEPTH = 3;

const ESCAPE = /\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g;
const SHORT: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

/**
 * The escapes that may stand for one of the characters (UTF-16 units, as escapes are) of `chars`
 * (a secret's): `\u` and the first three hex digits of each (any case: `\u002B` and `\u002b`), and
 * the short escape of each that has one (`\/`). Printable ASCII is always in: the characters of
 * any key, and of base64.
 */
export function escapeHint(chars: string): RegExp {
  const prefixes = new Set(['00[2-7]']);
  const short = new Set(['/']);
  for (let index = 0; index < chars.length; index += 1) {
    const char = chars.charAt(index);
    const code = chars.charCodeAt(index);
    if (code < 0x20 || code > 0x7e) prefixes.add(code.toString(16).padStart(4, '0').slice(0, 3));
    const letter = Object.entries(SHORT).find(([, decoded]) => decoded === char)?.[0];
    if (letter !== undefined) short.add(letter);
  }
  const shorts = [...short].map((letter) => letter.replace(REGEX_SPECIAL, '\\$&')).join('|');
  return new RegExp(`\\\\(?:u(?:${[...prefixes].join('|')})|${shorts})`, 'i');
}

export interface EscapeView {
  /** The text with its escapes decoded (one level more than the view it was made from). */
  readonly text: string;
  /** Where the character at `index` of the view begins in the text as sent (the view's length: the sent text's). */
  readonly sentIndex: (index: number) => number;
}

/** The text one level decoded, and where each escape was: its index in the view, its start and end in the text. */
function decodeOnce(text: string, outer: ((index: number) => number) | null): EscapeView {
  const at: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const parts: string[] = [];
  let kept = 0;
  let length = 0;
  ESCAPE.lastIndex = 0;
  for (let match = ESCAPE.exec(text); match !== null; match = ESCAPE.exec(text)) {
    parts.push(text.slice(kept, match.index));
    length += match.index - kept;
    at.push(length);
    start.push(match.index);
    end.push(match.index + match[0].length);
    parts.push(match[1] === undefined ? (SHORT[match[2] ?? ''] ?? '') : String.fromCharCode(parseInt(match[1], 16)));
    length += 1;
    kept = match.index + match[0].length;
  }
  parts.push(text.slice(kept));
  const inText = (index: number): number => {
    let low = 0;
    let high = at.length - 1;
    let last = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if ((at[middle] ?? 0) <= index) {
        last = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    if (last === -1) return index;
    const escapeAt = at[last] ?? 0;
    return index === escapeAt ? (start[last] ?? 0) : (end[last] ?? 0) + index - escapeAt - 1;
  };
  return { text: parts.join(''), sentIndex: outer === null ? inText : (index) => outer(inText(index)) };
}

/** The views of a text through its escapes, one per level of nesting; none when no escape could stand for a secret's character. */
export function escapeViews(text: string, hint: RegExp): EscapeView[] {
  const views: EscapeView[] = [];
  let current = text;
  let outer: ((index: number) => number) | null = null;
  while (views.length < MAX_DEPTH && current.includes('\\') && hint.test(current)) {
    const view = decodeOnce(current, outer);
    views.push(view);
    current = view.text;
    outer = view.sentIndex;
  }
  return views;
}

/** Where an escape cut short by the end of a text begins (`\`, `\u00`, `\\u0`); the text's length when none is. */
export function unfinishedEscapeAt(text: string): number {
  const tail = text.slice(-16);
  const match = /\\+(?:u[0-9a-fA-F]{0,3})?$/.exec(tail);
  return match === null ? text.length : text.length - tail.length + match.index;
}
