import { describe, expect, it } from 'vitest';
import { asciiLower, formAt, indexOfForm, isCaseless, needlesOf } from '../../../src/core/needles';

describe('isCaseless: a secret whose case-changed echo is the secret itself', () => {
  it.each([
    ['0f1e2d3c4b5a69788796a5b4c3d2e1f0', true, 'hex (Azure, openssl rand -hex)'],
    ['0F1E2D3C4B5A69788796A5B4C3D2E1F0', true, 'upper-case hex'],
    ['adm-7c1e0b9a4d2f6e8a3b5c7d9e1f2a4b6c', true, 'lower case and digits'],
    ['sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z', false, 'both cases: upper-cased it is not the key'],
    ['1234567890123456', false, 'no letters: there is no case to change'],
  ])('%s: %s (%s)', (secret, expected) => {
    expect(isCaseless(secret)).toBe(expected);
  });

  it('makes the plain and URL-encoded needles caseless, never the base64 ones', () => {
    const needles = needlesOf('0f1e2d3c4b5a69788796a5b4c3d2e1f0');
    expect(needles.filter((needle) => needle.whole !== null).every((needle) => needle.caseless)).toBe(true);
    expect(needles.filter((needle) => needle.whole === null).some((needle) => needle.caseless)).toBe(false);
  });
});

describe('forms found in any case', () => {
  it.each([
    ['ABCdef', 'abcdef'],
    ['İstanbul KEY', 'İstanbul key'], // toLowerCase would make İ two characters
    ['0F-1E', '0f-1e'],
  ])('asciiLower(%s) = %s, same length', (text, expected) => {
    expect(asciiLower(text)).toBe(expected);
    expect(asciiLower(text)).toHaveLength(text.length);
  });

  it.each([
    ['key 0F1E2D3C', 4, '0f1e2d3c', true, true],
    ['key 0F1E2D3C', 4, '0f1e2d3c', false, false],
    ['key 0f1e2d3c', 4, '0f1e2d3c', false, true],
    ['key 0F1E2D', 4, '0f1e2d3c', true, false],
  ])('formAt(%s, %i, %s, caseless %s) = %s', (text, at, form, caseless, expected) => {
    expect(formAt(text, at, form, caseless)).toBe(expected);
  });

  it.each([
    ['İİ key 0F1E2D3C', 0, true, 7],
    ['key 0F1E2D3C', 5, true, -1],
    ['key 0F1E2D3C', 0, false, -1],
  ])('indexOfForm(%s, 0f1e2d3c, from %i, caseless %s) = %i', (text, from, caseless, expected) => {
    expect(indexOfForm(text, '0f1e2d3c', from, caseless)).toBe(expected);
  });
});
