/**
 * Removes secrets from text that may reach a client or a log line. By value first: every secret
 * the gateway knows for a request (its keys and tokens) is found by its first characters, also
 * URL-encoded and inside base64 (as in a Basic `user:key`), and the whole token that holds it is
 * replaced. Then by pattern, as a backstop for keys the gateway was never told (an upstream
 * echoing "sk-proj-abc...xyz"): a redacted pattern keeps a short prefix, enough to tell which
 * kind of key it was.
 */
const SECRET_PATTERNS: readonly { readonly pattern: RegExp; readonly keep: number }[] = [
  { pattern: /\b(?:sk|rk|pk|sess|gsk|xai)[-_][A-Za-z0-9_\-*.]{5,}[A-Za-z0-9_\-*]/g, keep: 3 }, // provider keys
  { pattern: /\bcxe_[0-9A-Za-z]{12,}/g, keep: 3 }, // team keys (their 8-character visible prefix alone is public)
  { pattern: /\bAIza[A-Za-z0-9_-]{20,}/g, keep: 4 }, // Google
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, keep: 3 }, // JWTs
  { pattern: /\bBearer\s+[^\s"',]+/gi, keep: 7 },
  { pattern: /\bBasic\s+[^\s"',]+/gi, keep: 6 },
  { pattern: /\bkey[-_][A-Za-z0-9_-]{12,}/g, keep: 4 },
];

/** How many leading characters of a secret identify it (a key echoed cut short still matches). */
const NEEDLE_CHARS = 8;
/** Characters a token can be made of: a found needle is widened to its whole token. */
const TOKEN_CHAR = /[A-Za-z0-9+/=_\-.~%*]/;
export const REDACTED = '[redacted]';

/**
 * The start every pattern's match begins with, all in one search (case aside: a superset): a text
 * without any (most log lines, most events) is searched once, not once per pattern. It must
 * change with SECRET_PATTERNS.
 */
const PATTERN_STARTS = /\b(?:(?:sk|rk|pk|sess|gsk|xai|key)[-_]|cxe_|AIza|eyJ|Bearer\s|Basic\s)/i;

export function redactPatterns(text: string): string {
  if (!PATTERN_STARTS.test(text)) return text;
  let out = text;
  for (const { pattern, keep } of SECRET_PATTERNS) out = out.replace(pattern, (secret) => `${secret.slice(0, keep)}${REDACTED}`);
  return out;
}

function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The strings that betray a secret: its start, its URL-encoded start, and the start of its
 * base64 at each of the three alignments it can have inside a longer encoded text.
 */
function needlesOf(secret: string): string[] {
  const needles = [secret, encodeURIComponent(secret)].map((form) => form.slice(0, NEEDLE_CHARS));
  for (let offset = 0; offset < 3; offset += 1) {
    // `offset` bytes of anything before the secret change the first 4 base64 characters only.
    const encoded = base64(`${'\u0000'.repeat(offset)}${secret}`).replace(/=+$/, '');
    const stable = encoded.slice(offset === 0 ? 0 : 4, -4);
    if (stable.length >= NEEDLE_CHARS) needles.push(stable.slice(0, NEEDLE_CHARS));
  }
  return needles;
}

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

const needlesBySecret = new Map<string, readonly string[]>();
const searchByNeedles = new Map<string, RegExp>();

const escaped = (needle: string): string => needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Redactor {
  /** Patterns only: for text no request's secrets are known for. */
  static readonly patterns = new Redactor([]);
  readonly #needles: readonly string[];
  /** Finds any needle; null when there is none. */
  readonly #search: RegExp | null;

  constructor(secrets: Iterable<string | null | undefined>, inherited: readonly string[] = []) {
    const needles = new Set(inherited);
    for (const secret of secrets) {
      if (secret === null || secret === undefined || secret.length < MIN_SECRET_CHARS) continue;
      for (const needle of cached(needlesBySecret, secret, () => needlesOf(secret))) needles.add(needle);
    }
    this.#needles = [...needles];
    this.#search =
      this.#needles.length === 0 ? null : cached(searchByNeedles, this.#needles.join('\n'), () => new RegExp(this.#needles.map(escaped).join('|')));
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
    for (const needle of this.#needles) {
      for (let cut = Math.min(needle.length - 1, text.length); cut > 0; cut -= 1) {
        if (text.endsWith(needle.slice(0, cut))) {
          from = Math.min(from, text.length - cut);
          break;
        }
      }
      if (tokenStart < text.length && text.indexOf(needle, tokenStart) !== -1) from = Math.min(from, tokenStart);
    }
    return from;
  }

  #byValue(value: string): string {
    if (!this.holdsSecret(value)) return value;
    let out = value;
    for (const needle of this.#needles) {
      for (let at = out.indexOf(needle); at !== -1; at = out.indexOf(needle, at + REDACTED.length)) {
        let start = at;
        let end = at + needle.length;
        while (start > 0 && TOKEN_CHAR.test(out.charAt(start - 1))) start -= 1;
        while (end < out.length && TOKEN_CHAR.test(out.charAt(end))) end += 1;
        out = `${out.slice(0, start)}${REDACTED}${out.slice(end)}`;
        at = start;
      }
    }
    return out;
  }
}
