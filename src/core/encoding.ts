/**
 * Pure: the byte encodings the team registry uses (base62 for keys and ids, base64 for
 * ciphertexts, hex for hashes), and Latin-1, the one text view of any bytes that maps them back
 * exactly (a body searched for secrets whatever it holds); and the bytes of several pieces as one.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Base62 of the bytes as one big-endian number, left-padded to the length any input of this size needs. */
export function toBase62(bytes: Uint8Array): string {
  const width = Math.ceil((bytes.length * 8) / Math.log2(62));
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let out = '';
  while (value > 0n) {
    out = BASE62.charAt(Number(value % 62n)) + out;
    value /= 62n;
  }
  return out.padStart(width, BASE62.charAt(0));
}

/** byteCount random bytes in base62: 32 bytes give 43 characters. */
export function randomBase62(byteCount: number): string {
  return toBase62(crypto.getRandomValues(new Uint8Array(byteCount)));
}

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  return Array.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Standard or URL-safe base64, padded or not; null when the text is not base64. */
export function fromBase64(text: string): Uint8Array | null {
  const normal = text.trim().replaceAll('-', '+').replaceAll('_', '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(normal)) return null;
  try {
    const binary = atob(normal.padEnd(Math.ceil(normal.length / 4) * 4, '='));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Each byte as the character of that code (0–255): any bytes, and back with latin1Bytes() unchanged. */
export function latin1Text(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let start = 0; start < bytes.length; start += 0x2000) parts.push(String.fromCharCode(...bytes.subarray(start, start + 0x2000)));
  return parts.join('');
}

/** The bytes of a text made by latin1Text() (characters above 255, which it never makes, are cut to their low byte). */
export function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The pieces as one array of `size` bytes (the piece itself when there is one). */
export function concatBytes(pieces: readonly Uint8Array[], size: number): Uint8Array {
  if (pieces.length === 1 && pieces[0] !== undefined) return pieces[0];
  const out = new Uint8Array(size);
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.byteLength;
  }
  return out;
}
