/**
 * The key formats of the secrets suite, and the forms in which each one betrays itself. Keys
 * are made by a seeded generator: random-looking, the same on every run, so a failing case can
 * be reproduced.
 */

export interface KeyFormat {
  /** Which provider's keys look like this. */
  readonly name: string;
  readonly key: string;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const URL_SAFE = `${BASE62}-_`;
const HEX = '0123456789abcdef';

/** mulberry32: a small seeded generator, enough for test keys. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(0x5ec2e75);

function chars(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet.charAt(Math.floor(random() * alphabet.length));
  return out;
}

function base64Url(text: string): string {
  return base64(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function jwt(): string {
  const header = base64Url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64Url(JSON.stringify({ sub: `svc-${chars(BASE62, 12)}`, iat: 1767225600, exp: 1798761600 }));
  return `${header}.${payload}.${chars(URL_SAFE, 43)}`;
}

/** A token with no known prefix, made of base64's own characters: its URL-encoded form differs from it (`+` → `%2B`, `/` → `%2F`). */
function plainToken(): string {
  return `${chars(BASE62, 3)}+${chars(BASE62, 2)}/${chars(BASE62, 20)}+${chars(BASE62, 9)}/${chars(BASE62, 4)}=`;
}

export const KEY_FORMATS: readonly KeyFormat[] = [
  { name: 'OpenAI project key', key: `sk-proj-${chars(URL_SAFE, 64)}` },
  { name: 'Anthropic key', key: `sk-ant-api03-${chars(URL_SAFE, 93)}AA` },
  { name: 'Azure key (32 hex)', key: chars(HEX, 32) },
  { name: 'Google key', key: `AIza${chars(URL_SAFE, 35)}` },
  { name: 'Groq key', key: `gsk_${chars(BASE62, 52)}` },
  { name: 'Mistral key (32 alphanumerics)', key: chars(BASE62, 32) },
  { name: 'JWT', key: jwt() },
  { name: 'plain token', key: plainToken() },
];

/** The key a gateway's clients present in single-upstream mode with the owner's key (a secret too). */
export const CLIENT_KEY = `ck-${chars(BASE62, 40)}`;

export interface Telltale {
  readonly form: string;
  readonly text: string;
}

/**
 * Every form of the key that would give it away: whole, its first 8 characters, its last 12,
 * URL-encoded, and in base64 (`user:key` as in a Basic header, and the key's own base64 at each
 * of the three alignments it can have inside a longer encoded text).
 */
export function telltales(key: string): Telltale[] {
  const forms: Telltale[] = [
    { form: 'the key', text: key },
    { form: 'its first 8 characters', text: key.slice(0, 8) },
    { form: 'its last 12 characters', text: key.slice(-12) },
    { form: 'URL-encoded', text: encodeURIComponent(key) },
    { form: 'base64 of user:key', text: base64(`user:${key}`) },
  ];
  for (let offset = 0; offset < 3; offset += 1) {
    const encoded = base64(`${'\u0000'.repeat(offset)}${key}`).replace(/=+$/, '');
    // The first 4 characters depend on what came before the key; the last 4 on what follows.
    forms.push({ form: `base64 at alignment ${offset}`, text: encoded.slice(4, -4) });
  }
  return forms;
}

/**
 * Whether any spelling of the key in other cases is the key: its letters are all of one case (a
 * hex key). A key of both cases upper-cased is not the key (one guess per letter).
 */
function caseless(key: string): boolean {
  return /[a-z]/i.test(key) && !(/[a-z]/.test(key) && /[A-Z]/.test(key));
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** The text as a JSON parser reads its strings: escapes decoded, and again for a JSON string inside one. */
function readAsJson(text: string): string[] {
  const once = (value: string): string =>
    value.replace(/\\(?:u([0-9a-fA-F]{4})|(.))/g, (escape, hex: string | undefined, char: string | undefined) =>
      hex === undefined ? (SHORT_ESCAPES[char ?? ''] ?? escape) : String.fromCharCode(parseInt(hex, 16)),
    );
  return [text, once(text), once(once(text))];
}

/** The telltales of `key` found in `text` or in what a JSON parser reads in it (in any case, for a caseless key), named (empty when clean). */
export function exposures(key: string, text: string): string[] {
  const fold = (value: string): string => (caseless(key) ? value.toLowerCase() : value);
  const seen = readAsJson(text).map(fold);
  return telltales(key)
    .filter((telltale) => seen.some((view) => view.includes(fold(telltale.text))))
    .map((telltale) => telltale.form);
}
