/**
 * The needles a secret is found by in a text: the strings that betray it (its first characters
 * as it is, URL-encoded and inside base64), each with the whole form it begins where that form
 * may run on past its token. Pure.
 */

/** How many leading characters of a secret identify it (a key echoed cut short still matches). */
export const NEEDLE_CHARS = 8;

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
export interface Needle {
  readonly start: string;
  readonly whole: string | null;
  /** Found in any case: a form of a secret whose letters are all of one case (see caseless). */
  readonly caseless: boolean;
}

/**
 * Whether a secret gives itself away in any case: its letters are all of one case (a hex key,
 * Azure's or `openssl rand -hex`), so its upper- or lower-cased echo is the key itself. A key
 * of both cases upper-cased is not the key (one guess per letter), and stays matched as it is:
 * a search in any case costs far more per character of every text.
 */
export function isCaseless(secret: string): boolean {
  return /[a-z]/i.test(secret) && !(/[a-z]/.test(secret) && /[A-Z]/.test(secret));
}

/** ASCII letters lowered, and nothing else: the text keeps its length (toLowerCase may not). */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** Where `form` first stands in `text` from `from` on (in any case, for a caseless needle's form); -1 when nowhere. */
export function indexOfForm(text: string, form: string, from: number, caseless: boolean): number {
  if (!caseless) return text.indexOf(form, from);
  const at = asciiLower(text.slice(from)).indexOf(asciiLower(form));
  return at === -1 ? -1 : from + at;
}

/** Whether `form` stands in `text` at `at` (in any case, for a caseless needle's form). */
export function formAt(text: string, at: number, form: string, caseless: boolean): boolean {
  return caseless ? asciiLower(text.slice(at, at + form.length)) === asciiLower(form) : text.startsWith(form, at);
}

/**
 * The needles of a secret: its start, its URL-encoded start (both in any case for a caseless
 * secret), and the start of its base64 at each of the three alignments it can have inside a
 * longer encoded text.
 */
export function needlesOf(secret: string): Needle[] {
  const caseless = isCaseless(secret);
  const needles: Needle[] = [secret, encodeURIComponent(secret)].map((form) => ({ start: form.slice(0, NEEDLE_CHARS), whole: form, caseless }));
  for (let offset = 0; offset < 3; offset += 1) {
    // `offset` bytes of anything before the secret change the first 4 base64 characters only.
    const encoded = base64(`${'\u0000'.repeat(offset)}${secret}`).replace(/=+$/, '');
    const stable = encoded.slice(offset === 0 ? 0 : 4, -4);
    if (stable.length >= NEEDLE_CHARS) needles.push({ start: stable.slice(0, NEEDLE_CHARS), whole: null, caseless: false });
  }
  return needles;
}
