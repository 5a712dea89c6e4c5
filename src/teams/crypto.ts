/**
 * Upstream keys at rest: AES-256-GCM with ENCRYPTION_KEY, a fresh 96-bit IV per encryption, and
 * the provider's team and id as additional data, so that a ciphertext copied to another row
 * (or another team) does not decrypt. Stored as `v1.<base64 iv>.<base64 ciphertext+tag>`.
 */
import { fromBase64, toBase64 } from '../core/encoding';

const VERSION = 'v1';
const IV_BYTES = 12;

function importKey(raw: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

/** Binds a ciphertext to the provider row it belongs to. */
export function providerKeyContext(teamId: string, providerId: string): string {
  return `codex-edge/provider-key/${teamId}/${providerId}`;
}

export async function encryptSecret(raw: Uint8Array, plaintext: string, context: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const encoder = new TextEncoder();
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(context) }, await importKey(raw), encoder.encode(plaintext));
  return `${VERSION}.${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
}

/** The plaintext, or null when the ciphertext is malformed, tampered with, or sealed with another key or context. */
export async function decryptSecret(raw: Uint8Array, stored: string, context: string): Promise<string | null> {
  const [version, ivText, sealedText, ...rest] = stored.split('.');
  const iv = fromBase64(ivText ?? '');
  const sealed = fromBase64(sealedText ?? '');
  if (version !== VERSION || rest.length > 0 || iv?.byteLength !== IV_BYTES || sealed === null) return null;
  try {
    const opened = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(context) }, await importKey(raw), sealed);
    return new TextDecoder().decode(opened);
  } catch {
    return null;
  }
}
