/**
 * Removes secrets from text that may reach a client or a log line. By value first: every secret
 * the gateway knows for a request (its keys and tokens) is found by its needles (needles.ts: its
 * first characters, also URL-encoded and inside base64, as in a Basic `user:key`), and the whole
 * token that holds one is replaced. Then by pattern (key-patterns.ts), as a backstop for keys the
 * gateway was never told.
 */
import { REDACTED, redactPatterns } from './key-patterns';
import { escapeViews, unfinishedEscapeAt } from './json-escapes';
import { NeedleSearch } from './needle-search';
import { formAt, indexOfForm, needlesOf, type Needle } from './needles';

export { REDACTED, redactPatterns };

/** Characters a token can be made of: a found needle is widened to its whole token. */
const TOKEN_CHAR = /[A-Za-z0-9+/=_\-.~%*]/;

/** The shortest secret the gateway redacts by value; a shorter one would match ordinary words. */
export const MIN_SECRET_CHARS = 8;

/**
 * What is derived from secrets is kept per isolate, bounded: each secret's needles (its base64
 * forms cost more than a request's own work) and one search for each set of needles (a single
 * regular expression scans a text once, where a search per needle scans it once per needle).
 */
const CACHE_ENTRIES = 1_024;

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= CACHE_ENTRIES) cache.clear();
    value = make();
    cache.set(key, value);
  }
  return value;
}

const needlesBySecret = new Map<string, readonly Needle[]>();
const searchByNeedles = new Map<string, NeedleSearch>();

const needleKey = (needle: Needle): string => `${needle.start}\n${needle.whole ?? ''}\n${needle.caseless}`;

export class Redactor {
  /** Patterns only: for text no request's secrets are known for. */
  static readonly patterns = new Redactor([]);
  readonly #needles: readonly Needle[];
  /** Finds any needle; null when there is none. */
  readonly #search: NeedleSearch | null;

  constructor(secrets: Iterable<string | null | undefined>, inherited: readonly Needle[] = []) {
    const needles = new Map(inherited.map((needle) => [needleKey(needle), needle]));
    for (const secret of secrets) {
      if (secret === null || secret === undefined || secret.length < MIN_SECRET_CHARS) continue;
      for (const needle of cached(needlesBySecret, secret, () => needlesOf(secret))) needles.set(needleKey(needle), needle);
    }
    this.#needles = [...needles.values()];
    this.#search = needles.size === 0 ? null : cached(searchByNeedles, [...needles.keys()].join('\n\n'), () => new NeedleSearch(this.#needles));
  }

  /** What this redactor became with more secrets, by those secrets: a client sends the same key request after request. */
  readonly #withSecrets = new Map<string, Redactor>();

  /** This redactor and more secrets. */
  with(secrets: readonly (string | null | undefined)[]): Redactor {
    return cached(this.#withSecrets, JSON.stringify(secrets), () => new Redactor(secrets, this.#needles));
  }

  /**
   * True when the text holds a known secret (patterns aside): the cheap check for hot paths. Also
   * through JSON escapes, read only when the text holds an escape that could stand for a
   * secret's character (a text without a backslash costs nothing more).
   */
  holdsSecret(text: string): boolean {
    const search = this.#search;
    return search !== null && (search.finds(text) || escapeViews(text, search.hint).some((view) => search.finds(view.text)));
  }

  text(value: string): string {
    return redactPatterns(this.#byValue(value));
  }

  /**
   * For text that arrives in pieces (a body relayed as it comes): where its tail may still turn
   * out to hold a secret once more text follows, so that it must wait. That is the start of a
   * secret's needle cut short by the end, or of a token that holds a needle and runs to the end
   * (the rest of the secret, to be redacted with it, may follow), or of an escape cut short;
   * seen in the text and through its escapes. text.length when nothing waits.
   */
  unsettledFrom(text: string): number {
    if (this.#search === null) return text.length;
    const escaped = unfinishedEscapeAt(text);
    let from = this.#unsettled(text.slice(0, escaped));
    for (const view of escapeViews(text.slice(0, escaped), this.#search.hint)) {
      from = Math.min(from, view.sentIndex(this.#unsettled(view.text.slice(0, unfinishedEscapeAt(view.text)))));
    }
    return from;
  }

  /** Where the text (what comes before an escape cut short, which waits) may still turn out to hold a secret. */
  #unsettled(text: string): number {
    let tokenStart = text.length;
    while (tokenStart > 0 && TOKEN_CHAR.test(text.charAt(tokenStart - 1))) tokenStart -= 1;
    let from = text.length;
    for (const { start: needle, whole, caseless } of this.#needles) {
      for (let cut = Math.min(needle.length - 1, text.length); cut > 0; cut -= 1) {
        if (formAt(text, text.length - cut, needle.slice(0, cut), caseless)) {
          from = Math.min(from, text.length - cut);
          break;
        }
      }
      if (tokenStart < text.length && indexOfForm(text, needle, tokenStart, caseless) !== -1) from = Math.min(from, tokenStart);
      // A whole secret that may run on past the end (its rest, with characters no token has, may follow).
      const at = whole === null ? -1 : indexOfForm(text, needle, Math.max(0, text.length - whole.length), caseless);
      if (whole !== null && at !== -1 && formAt(whole, 0, text.slice(at), caseless)) from = Math.min(from, at);
    }
    return from;
  }

  /**
   * Each token that holds a needle (and the whole secret it begins, when that runs on past the
   * token) replaced by the marker, in the text and through its escapes: a token found in a view
   * is replaced where it stands in the text, escapes and all, so the text stays what it was (a
   * JSON string stays one). One pass over each: a text full of needles costs no more than its length.
   */
  #byValue(value: string): string {
    const search = this.#search;
    if (search === null) return value;
    const ranges = search.finds(value) ? this.#ranges(value) : [];
    for (const view of escapeViews(value, search.hint)) {
      if (search.finds(view.text)) ranges.push(...this.#ranges(view.text).map(([start, end]): Range => [view.sentIndex(start), view.sentIndex(end)]));
    }
    return ranges.length === 0 ? value : replaced(value, ranges);
  }

  /** The tokens of the text that hold a needle (each widened to the whole secret it begins). */
  #ranges(value: string): Range[] {
    const ranges: Range[] = [];
    let kept = 0;
    for (let found = this.#search?.next(value, 0) ?? null; found !== null; found = this.#search?.next(value, kept) ?? null) {
      let start = found.at;
      let end = found.end;
      while (start > kept && TOKEN_CHAR.test(value.charAt(start - 1))) start -= 1;
      while (end < value.length && TOKEN_CHAR.test(value.charAt(end))) end += 1;
      ranges.push([start, end]);
      kept = end;
    }
    return ranges;
  }
}

/** A part of a text, from its start up to its end. */
type Range = readonly [number, number];

/** The text with each range (overlapping ones as one) replaced by the marker. */
function replaced(value: string, ranges: Range[]): string {
  const parts: string[] = [];
  let kept = 0;
  let open: [number, number] | null = null;
  for (const [start, end] of ranges.sort((a, b) => a[0] - b[0])) {
    if (open !== null && start < open[1]) {
      open[1] = Math.max(open[1], end);
      continue;
    }
    if (open !== null) parts.push(value.slice(kept, open[0]), REDACTED);
    kept = open?.[1] ?? kept;
    open = [start, end];
  }
  if (open !== null) parts.push(value.slice(kept, open[0]), REDACTED);
  parts.push(value.slice(open?.[1] ?? kept));
  return parts.join('');
}
