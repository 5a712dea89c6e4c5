/**
 * Removes secrets from text that may reach a client or a log line. By value first: every secret
 * the gateway knows for a request (its keys and tokens) is found by its needles (needles.ts: its
 * first characters, also URL-encoded and inside base64, as in a Basic `user:key`), and the whole
 * token that holds one is replaced. Then by pattern (key-patterns.ts), as a backstop for keys the
 * gateway was never told.
 */
import { REDACTED, redactPatterns } from './key-patterns';
import { needlesOf, type Needle } from './needles';

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
const searchByNeedles = new Map<string, RegExp>();

const escaped = (needle: string): string => needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Redactor {
  /** Patterns only: for text no request's secrets are known for. */
  static readonly patterns = new Redactor([]);
  readonly #needles: readonly Needle[];
  /** Finds any needle; null when there is none. */
  readonly #search: RegExp | null;

  constructor(secrets: Iterable<string | null | undefined>, inherited: readonly Needle[] = []) {
    const needles = new Map(inherited.map((needle) => [`${needle.start}\n${needle.whole ?? ''}`, needle]));
    for (const secret of secrets) {
      if (secret === null || secret === undefined || secret.length < MIN_SECRET_CHARS) continue;
      for (const needle of cached(needlesBySecret, secret, () => needlesOf(secret))) needles.set(`${needle.start}\n${needle.whole ?? ''}`, needle);
    }
    this.#needles = [...needles.values()];
    const starts = [...new Set(this.#needles.map((needle) => needle.start))];
    this.#search = starts.length === 0 ? null : cached(searchByNeedles, starts.join('\n'), () => new RegExp(starts.map(escaped).join('|')));
  }

  /** What this redactor became with more secrets, by those secrets: a client sends the same key request after request. */
  readonly #withSecrets = new Map<string, Redactor>();

  /** This redactor and more secrets. */
  with(secrets: readonly (string | null | undefined)[]): Redactor {
    return cached(this.#withSecrets, JSON.stringify(secrets), () => new Redactor(secrets, this.#needles));
  }

  /** True when the text holds a known secret (patterns aside): the cheap check for hot paths. */
  holdsSecret(text: string): boolean {
    return this.#search !== null && this.#search.test(text);
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
    for (const { start: needle, whole } of this.#needles) {
      for (let cut = Math.min(needle.length - 1, text.length); cut > 0; cut -= 1) {
        if (text.endsWith(needle.slice(0, cut))) {
          from = Math.min(from, text.length - cut);
          break;
        }
      }
      if (tokenStart < text.length && text.indexOf(needle, tokenStart) !== -1) from = Math.min(from, tokenStart);
      // A whole secret that may run on past the end (its rest, with characters no token has, may follow).
      const at = whole === null ? -1 : text.indexOf(needle, Math.max(0, text.length - whole.length));
      if (whole !== null && at !== -1 && whole.startsWith(text.slice(at))) from = Math.min(from, at);
    }
    return from;
  }

  /** Every needle at once, and the whole forms each start may begin: made on the first text that holds a secret. */
  #found: { readonly everywhere: RegExp; readonly wholes: ReadonlyMap<string, readonly string[]> } | null = null;

  /**
   * Each token that holds a needle (and the whole secret it begins, when that runs on past the
   * token) replaced by the marker, in one pass over the text: each range is found once and the
   * text is built once, so a text full of needles costs no more than its length.
   */
  #byValue(value: string): string {
    if (this.#search === null || !this.#search.test(value)) return value;
    this.#found ??= {
      everywhere: new RegExp(this.#search.source, 'g'),
      wholes: this.#needles.reduce(
        (wholes, { start, whole }) => (whole === null ? wholes : wholes.set(start, [...(wholes.get(start) ?? []), whole])),
        new Map<string, string[]>(),
      ),
    };
    const { everywhere, wholes } = this.#found;
    const parts: string[] = [];
    let kept = 0;
    everywhere.lastIndex = 0;
    for (let match = everywhere.exec(value); match !== null; match = everywhere.exec(value)) {
      const at = match.index;
      let end = at + match[0].length;
      for (const whole of wholes.get(match[0]) ?? []) if (value.startsWith(whole, at)) end = Math.max(end, at + whole.length);
      let start = at;
      while (start > kept && TOKEN_CHAR.test(value.charAt(start - 1))) start -= 1;
      while (end < value.length && TOKEN_CHAR.test(value.charAt(end))) end += 1;
      parts.push(value.slice(kept, start), REDACTED);
      kept = end;
      everywhere.lastIndex = end;
    }
    parts.push(value.slice(kept));
    return parts.join('');
  }
}
