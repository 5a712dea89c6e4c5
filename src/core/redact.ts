/**
 * Removes secrets from text that may reach a client or a log line. By value first: every secret
 * the gateway knows for a request (its keys and tokens) is found by its needles (needles.ts: its
 * first characters, also URL-encoded and inside base64, as in a Basic `user:key`), and the whole
 * token that holds one is replaced. Then by pattern (key-patterns.ts), as a backstop for keys the
 * gateway was never told.
 */
import { REDACTED, redactPatterns } from './key-patterns';
import { NeedleSearch } from './needle-search';
import { formAt, indexOfForm, needlesOf, type Needle } from './needles';

export { REDACTED, redactPatterns };

/** Characters a token can be made of: a found needle is widened to its whole token. */
const TOKEN_CHAR = /[A-Za-z0-9+/=_\-.~%*]/;

/** The shortest secret the gateway redacts by value; a shorter one would match ordinary words. */
const MIN_SECRET_CHARS = 8;

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

  /** True when the text holds a known secret (patterns aside): the cheap check for hot paths. */
  holdsSecret(text: string): boolean {
    return this.#search !== null && this.#search.finds(text);
  }

  text(value: string): string {
    return redactPatterns(this.#byValue(value));
  }

  /**
   * For text that arrives in pieces (a body relayed as it comes): where its tail may still turn
   * out to hold a secret once more text follows, so that it must wait. That is the start of a
   * secret's needle cut short by the end, or of a token that holds a needle and runs to the end
   * (the rest of the secret, to be redacted with it, may follow). text.length when nothing waits.
   */
  unsettledFrom(text: string): number {
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
   * token) replaced by the marker, in one pass over the text: each range is found once and the
   * text is built once, so a text full of needles costs no more than its length.
   */
  #byValue(value: string): string {
    if (this.#search === null || !this.#search.finds(value)) return value;
    const parts: string[] = [];
    let kept = 0;
    for (let found = this.#search.next(value, 0); found !== null; found = this.#search.next(value, kept)) {
      let start = found.at;
      let end = found.end;
      while (start > kept && TOKEN_CHAR.test(value.charAt(start - 1))) start -= 1;
      while (end < value.length && TOKEN_CHAR.test(value.charAt(end))) end += 1;
      parts.push(value.slice(kept, start), REDACTED);
      kept = end;
    }
    parts.push(value.slice(kept));
    return parts.join('');
  }
}
