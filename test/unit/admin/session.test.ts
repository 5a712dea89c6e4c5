import { describe, expect, it } from 'vitest';
import { sessionExpiry } from '../../../src/admin/session';

const NOW = 1_790_000_000_000;
const NONCE = '0123456789abcdef0123456789abcdef';

describe('sessionExpiry', () => {
  it.each([
    ['a session that has time left', `${NOW + 1}.${NONCE}`, NOW + 1],
    ['one that expires now', `${NOW}.${NONCE}`, null],
    ['one that expired', `${NOW - 60_000}.${NONCE}`, null],
    ['no nonce', `${NOW + 1}`, null],
    ['a short nonce', `${NOW + 1}.abc`, null],
    ['not a time', `soon.${NONCE}`, null],
    ['the empty value', '', null],
  ])('%s', (_name, value, expected) => {
    expect(sessionExpiry(value, NOW)).toBe(expected);
  });
});
