import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from '../../../src/core/redact';

const HEX = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const MIXED = 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z';

/** A key whose letters are all of one case, echoed in another case: the echo is the key. */
describe('Redactor: a key of one case, echoed in another', () => {
  const redactor = new Redactor([HEX, MIXED]);

  it.each([
    ['upper-cased in a message', `Invalid key ${HEX.toUpperCase()}, try again`, `Invalid key ${REDACTED}, try again`],
    ['upper-cased as a header value', `Bearer ${HEX.toUpperCase()}`, `Bearer ${REDACTED}`],
    ['its letters in mixed case', `key=${HEX.replace(/./g, (char, at: number) => (at % 2 === 0 ? char : char.toUpperCase()))}`, REDACTED],
    ['upper-cased, cut short', `key ${HEX.toUpperCase().slice(0, 12)}...`, `key ${REDACTED}`],
    [
      'upper-cased in JSON',
      JSON.stringify({ error: { message: `bad key ${HEX.toUpperCase()}` } }),
      JSON.stringify({ error: { message: `bad key ${REDACTED}` } }),
    ],
  ])('%s', (_how, text, expected) => {
    expect(redactor.holdsSecret(text)).toBe(true);
    expect(redactor.text(text)).toBe(expected);
  });

  it('leaves a key of both cases, upper-cased, as it is (not the key: one guess per letter)', () => {
    const text = `echo ${MIXED.toUpperCase()}`;
    expect(redactor.holdsSecret(text)).toBe(false);
    expect(redactor.text(text)).toBe(text);
  });

  it('leaves ordinary text alone', () => {
    const text = 'Rate limit reached for gpt-5 in organization org-ABC on tokens per min (TPM).';
    expect(redactor.holdsSecret(text)).toBe(false);
    expect(redactor.text(text)).toBe(text);
  });

  it('holds back the upper-cased start of the key, and a token holding it, while the rest may follow', () => {
    expect(redactor.unsettledFrom(`key: ${HEX.toUpperCase().slice(0, 5)}`)).toBe(5);
    expect(redactor.unsettledFrom(`key: ${HEX.toUpperCase().slice(0, 20)}`)).toBe(5);
    expect(redactor.unsettledFrom(`key: ${HEX.toUpperCase()} ok`)).toBe(`key: ${HEX} ok`.length);
  });

  it('redacts a caseless secret with characters no token has whole, in any case', () => {
    const secret = 'acct-4821:c0ffee99d00d';
    expect(new Redactor([secret]).text(`sent ${secret.toUpperCase()} then`)).toBe(`sent ${REDACTED} then`);
  });
});
