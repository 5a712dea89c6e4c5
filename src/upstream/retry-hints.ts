/**
 * Pure: how long an upstream asks us to wait before trying again, from whatever hint it gave.
 * In order of precedence: `retry-after-ms`, `Retry-After` (seconds or HTTP date), the
 * "try again in 1.5s" text OpenAI puts in messages, then `x-ratelimit-reset-*` of an exhausted limit.
 */

const TRY_AGAIN = /try again in\s*(\d+(?:\.\d+)?)\s*(ms|s|seconds?)\b/i;
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
/** "1h2m3.456s" is 10 characters; no real reset header comes near this. */
const MAX_DURATION_CHARS = 32;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds to wait, or null when the upstream gave no usable hint (a number too large to be one, say 400 digits, is none). */
export function retryHintMs(headers: Headers, message: string | null, nowMs: number): number | null {
  const hint =
    parseRetryAfterMs(headers.get('retry-after-ms')) ??
    parseRetryAfter(headers.get('retry-after'), nowMs) ??
    parseTryAgainIn(message) ??
    rateLimitResetMs(headers);
  return hint !== null && Number.isFinite(hint) ? hint : null;
}

function parseRetryAfterMs(value: string | null): number | null {
  if (value === null || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return null;
  return Number(value);
}

/** `Retry-After: 12` or `Retry-After: <HTTP-date>`; a date in the past means 0. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

/** "Please try again in 1.5s" / "in 200ms" / "in 20 seconds". */
export function parseTryAgainIn(message: string | null): number | null {
  const match = message === null ? null : TRY_AGAIN.exec(message);
  if (!match?.[1] || !match[2]) return null;
  const amount = Number(match[1]);
  return match[2].toLowerCase() === 'ms' ? amount : amount * 1000;
}

/** OpenAI's durations: "1s", "6m0s", "20ms", "1h2m3.5s". */
export function parseDuration(value: string | null): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  // Longer is no duration (and a long run of digits made the search below quadratic).
  if (trimmed.length > MAX_DURATION_CHARS) return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  let total = 0;
  let consumed = '';
  for (const match of trimmed.matchAll(DURATION_PART)) {
    const [text, amount, unit] = match;
    total += Number(amount) * (UNIT_MS[unit ?? ''] ?? 0);
    consumed += text;
  }
  return consumed.length > 0 && consumed === trimmed ? total : null;
}

/** The longest reset among the limits reported as exhausted (remaining 0, or remaining not given). */
function rateLimitResetMs(headers: Headers): number | null {
  let longest: number | null = null;
  for (const limit of ['requests', 'tokens']) {
    const reset = parseDuration(headers.get(`x-ratelimit-reset-${limit}`));
    const remaining = headers.get(`x-ratelimit-remaining-${limit}`);
    if (reset === null || (remaining !== null && remaining.trim() !== '0')) continue;
    longest = Math.max(longest ?? 0, reset);
  }
  return longest;
}
