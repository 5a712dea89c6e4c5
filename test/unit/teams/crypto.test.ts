import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, providerKeyContext } from '../../../src/teams/crypto';

const key = Uint8Array.from({ length: 32 }, (_, i) => i);
const otherKey = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
const context = providerKeyContext('acme', 'prv_1');

function flipFirstCiphertextChar(sealed: string): string {
  const [version, iv, body = ''] = sealed.split('.');
  return `${version}.${iv}.${body.startsWith('A') ? 'B' : 'A'}${body.slice(1)}`;
}

describe('provider keys at rest', () => {
  it('round-trip, and never contain the plaintext', async () => {
    const sealed = await encryptSecret(key, 'sk-upstream-secret', context);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    expect(sealed).not.toContain('sk-upstream');
    expect(await decryptSecret(key, sealed, context)).toBe('sk-upstream-secret');
  });

  it('use a fresh IV each time', async () => {
    expect(await encryptSecret(key, 'same', context)).not.toBe(await encryptSecret(key, 'same', context));
  });

  it.each<[string, (sealed: string) => string, Uint8Array, string]>([
    ['another encryption key', (s) => s, otherKey, context],
    ['another provider (copied row)', (s) => s, key, providerKeyContext('acme', 'prv_2')],
    ['another team', (s) => s, key, providerKeyContext('evil', 'prv_1')],
    ['a flipped ciphertext byte', flipFirstCiphertextChar, key, context],
    ['an unknown version', (s) => s.replace(/^v1/, 'v2'), key, context],
    ['a malformed value', () => 'garbage', key, context],
  ])('do not decrypt with %s', async (_name, mangle, withKey, withContext) => {
    const sealed = await encryptSecret(key, 'sk-upstream-secret', context);
    expect(await decryptSecret(withKey, mangle(sealed), withContext)).toBeNull();
  });
});
