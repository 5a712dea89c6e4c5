import { describe, expect, it } from 'vitest';
import { fromBase64, toBase62, toBase64, toHex } from '../../../src/core/encoding';
import { bearerToken } from '../../../src/core/credentials';
import { generateTeamKey, hashTeamKey, isWellFormedTeamKey, looksLikeTeamKey, newId, presentedTeamKey, visiblePrefix } from '../../../src/teams/keys';

describe('team keys', () => {
  it('are cxe_ + 43 base62 characters, hashed whole, with a 12-character visible prefix', async () => {
    const key = await generateTeamKey();
    expect(key.key).toMatch(/^cxe_[0-9A-Za-z]{43}$/);
    expect(isWellFormedTeamKey(key.key)).toBe(true);
    expect(key.prefix).toBe(key.key.slice(0, 12));
    expect(key.hash).toBe(await hashTeamKey(key.key));
    expect(key.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(key.hash).not.toContain(key.key.slice(4));
  });

  it('are different every time', async () => {
    const keys = await Promise.all(Array.from({ length: 50 }, () => generateTeamKey()));
    expect(new Set(keys.map((k) => k.key)).size).toBe(50);
  });

  it.each<[string, boolean, boolean]>([
    [`cxe_${'a'.repeat(43)}`, true, true],
    [`cxe_${'a'.repeat(42)}`, true, false],
    [`cxe_${'a'.repeat(42)}-`, true, false],
    ['cxe_', true, false],
    ['sk-proj-abc', false, false],
    ['CXE_abc', false, false],
  ])('%s: looks like a team key %s, well-formed %s', (key, looks, wellFormed) => {
    expect(looksLikeTeamKey(key)).toBe(looks);
    expect(isWellFormedTeamKey(key)).toBe(wellFormed);
  });

  it('shows a short prefix only', () => {
    expect(visiblePrefix(`cxe_ABCDEFGH${'x'.repeat(35)}`)).toBe('cxe_ABCDEFGH');
  });

  it('makes record ids with a kind prefix', () => {
    expect(newId('key')).toMatch(/^key_[0-9A-Za-z]{13}$/);
    expect(newId('team')).toMatch(/^team_[0-9A-Za-z]{13}$/);
  });
});

describe('presentedTeamKey', () => {
  const team = `cxe_${'T'.repeat(43)}`;
  it.each<[string, Record<string, string>, { teamKey: string; providerKey: string | null } | null]>([
    ['bearer team key', { authorization: `Bearer ${team}` }, { teamKey: team, providerKey: null }],
    ['x-api-key team key', { 'x-api-key': team }, { teamKey: team, providerKey: null }],
    ['team key in x-api-key, provider key as bearer', { authorization: 'Bearer sk-own', 'x-api-key': team }, { teamKey: team, providerKey: 'sk-own' }],
    ['team key as bearer, provider key in x-api-key', { authorization: `Bearer ${team}`, 'x-api-key': 'sk-own' }, { teamKey: team, providerKey: 'sk-own' }],
    ['two team keys: the bearer one, no provider key', { authorization: `Bearer ${team}`, 'x-api-key': 'cxe_other' }, { teamKey: team, providerKey: null }],
    ['malformed team key still counts as one', { authorization: 'Bearer cxe_short' }, { teamKey: 'cxe_short', providerKey: null }],
    ['single-upstream key', { authorization: 'Bearer sk-own' }, null],
    ['nothing', {}, null],
  ])('%s', (_name, headers, expected) => {
    expect(presentedTeamKey(new Headers(headers))).toEqual(expected);
  });

  it('reads a bearer token', () => {
    expect(bearerToken(new Headers({ authorization: 'bearer  abc ' }))).toBe('abc');
    expect(bearerToken(new Headers({ authorization: 'Basic abc' }))).toBeNull();
  });
});

describe('encodings', () => {
  it.each<[number[], string]>([
    [[0], '00'],
    [[255], '47'],
    [[1, 0], '048'], // 256 = 4 * 62 + 8, width ceil(16 / log2 62) = 3,
  ])('base62 %j → %s', (bytes, expected) => {
    expect(toBase62(new Uint8Array(bytes))).toBe(expected);
  });

  it('pads base62 to a fixed width', () => {
    expect(toBase62(new Uint8Array(32))).toBe('0'.repeat(43));
    expect(toBase62(new Uint8Array(32).fill(255))).toHaveLength(43);
  });

  it('round-trips base64, standard and URL-safe, and refuses what is not base64', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 250);
    const text = toBase64(bytes);
    expect(fromBase64(text)).toEqual(bytes);
    expect(fromBase64(text.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, ''))).toEqual(bytes);
    expect(fromBase64('not base64!')).toBeNull();
    expect(toHex(new Uint8Array([0, 15, 255]))).toBe('000fff');
  });
});
