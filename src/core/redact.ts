/**
 * Removes secrets from text that may reach a client or a log line. By value first: every secret
 * the gateway knows for a request (its keys and tokens) is found by its first characters, also
 * URL-encoded and inside base64 (as in a Basic `user:key`), and the whole token that holds it is
 * replaced. Then by pattern, as a backstop for keys the gateway was never told (an upstream
 * echoing "sk-proj-abc...xyz"): a redacted pattern keeps a short prefix, enough to tell which
 * kind of key it was.
 */
interface SecretPattern {
  readonly pattern: RegExp;
  /** Characters of a match kept in front of the marker (enough to tell which kind of key it was). */
  readonly keep: number;
  /** Whether a match is a key rather than a word (tested on the match, so a search stays linear). */
  readonly keyLike?: (match: string) => boolean;
}

/**
 * Whether what follows a key prefix is a key rather than a name: a digit or a capital in it, or
 * 20 characters or more without a separator (`pk_user_id`, `sess_manager`, `key_value_mapping`
 * are names; random keys almost always have a digit or a capital, and never many `_` or `-`).
 */
function keyAfter(match: string, prefix: number): boolean {
  const value = match.slice(prefix);
  return /[0-9A-Z]/.test(value) || (value.length >= 20 && !/[-_]/.test(value));
}

/** After Bearer: a credential (20 characters or more; or 8 or more with a digit, or a `.`, `~`, `+` or `/` inside), not a word. */
function bearerCredential(match: string): boolean {
  const value = match.slice('Bearer'.length).trimStart();
  return value.length >= 20 || (value.length >= 8 && /\d|[.~+/][^.]/.test(value));
}

/** After Basic: base64 of `user:password`, as the scheme has it ("Basic Authentication" is a word). */
function basicCredential(match: string): boolean {
  const value = match.slice('Basic'.length).trimStart();
  if (value.length < 8 || value.length % 4 === 1) return false;
  try {
    const decoded = atob(value.replace(/=+$/, ''));
    // eslint-disable-next-line no-control-regex -- a user:password is text: no control characters
    return decoded.includes(':') && !/[\u0000-\u001f\u007f]/.test(decoded);
  } catch {
    return false;
  }
}

const SECRET_PATTERNS: readonly SecretPattern[] = [
  { pattern: /\b(?:sk|rk|pk|sess|gsk|xai)[-_][A-Za-z0-9_\-*.]{5,}[A-Za-z0-9_\-*]/g, keep: 3, keyLike: (match) => keyAfter(match, 3) }, // provider keys
  { pattern: /\bcxe_[0-9A-Za-z]{12,}/g, keep: 3 }, // team keys (their 8-character visible prefix alone is public)
  { pattern: /\bAIza[A-Za-z0-9_-]{20,}/g, keep: 4 }, // Google
  // JWTs: the whole dotted run is matched, then its shape checked (a pattern of the shape searched
  // each `eyJ` of a run such as `eyJ-eyJ-…` to its end: quadratic).
  { pattern: /\beyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*/g, keep: 3, keyLike: (match) => /^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./.test(`${match}.`) },
  { pattern: /\bBearer\s+[^\s"',]+/gi, keep: 7, keyLike: bearerCredential },
  { pattern: /\bBasic\s+[A-Za-z0-9+/]+={0,2}/gi, keep: 6, keyLike: basicCredential },
  // 14 characters or more: a team key's record id (`key_` and 13, teams/keys.ts) is public, and named in admin paths and log lines.
  { pattern: /\bkey[-_][A-Za-z0-9_-]{14,}/g, keep: 4, keyLike: (match) => keyAfter(match, 4) },
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
  for (const { pattern, keep, keyLike } of SECRET_PATTERNS) {
    out = out.replace(pattern, (match) => (keyLike === undefined || keyLike(match) ? `${match.slice(0, keep)}${REDACTED}` : match));
  }
  return out;
}

function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * A string that betrays a secret (`start`), and the whole form of the secret it begins, when
 * that form may hold characters a token is not made of (a key is any text): its match is
 * widened to at least that whole form.
 */
interface Needle {
  readonly start: string;
  readonly whole: string | null;
}

/**
 * The needles of a secret: its start, its URL-encoded start, and the start of its base64 at each
 * of the three alignments it can have inside a longer encoded text.
 */
function needlesOf(secret: string): Needle[] {
  const needles: Needle[] = [secret, encodeURIComponent(secret)].map((form) => ({ start: form.slice(0, NEEDLE_CHARS), whole: form }));
  for (let offset = 0; offset < 3; offset += 1) {
    // `offset` bytes of anything before the secret change the first 4 base64 characters only.
    const encoded = base64(`${'\u0000'.repeat(offset)}${secret}`).replace(/=+$/, '');
    const stable = encoded.slice(offset === 0 ? 0 : 4, -4);
    if (stable.length >= NEEDLE_CHARS) needles.push({ start: stable.slice(0, NEEDLE_CHARS), whole: null });
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
