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
}

/**
 * The needles of a secret: its start, its URL-encoded start, and the start of its base64 at each
 * of the three alignments it can have inside a longer encoded text.
 */
export function needlesOf(secret: string): Needle[] {
  const needles: Needle[] = [secret, encodeURIComponent(secret)].map((form) => ({ start: form.slice(0, NEEDLE_CHARS), whole: form }));
  for (let offset = 0; offset < 3; offset += 1) {
    // `offset` bytes of anything before the secret change the first 4 base64 characters only.
    const encoded = base64(`${'\u0000'.repeat(offset)}${secret}`).replace(/=+$/, '');
    const stable = encoded.slice(offset === 0 ? 0 : 4, -4);
    if (stable.length >= NEEDLE_CHARS) needles.push({ start: stable.slice(0, NEEDLE_CHARS), whole: null });
  }
  return needles;
}
