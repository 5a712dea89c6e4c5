/**
 * Key-like patterns, the backstop for keys the gateway was never told (an upstream echoing
 * "sk-proj-abc...xyz"): a match that is a key rather than a word is replaced by the marker, after
 * a short prefix kept to tell which kind of key it was. Pure; searched in one linear pass.
 */
export const REDACTED = '[redacted]';

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
