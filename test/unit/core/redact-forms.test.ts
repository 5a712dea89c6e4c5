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

/** One key of each shape an escape can hide: letters and `-`, `/` and `+` (base64-like), hex. */
const ESCAPED_KEYS: readonly string[] = [MIXED, 'Zq7+Rv/X9mLp2TnW8kQ4/sD1+fG6hJ0=', HEX];

const unicode = (text: string): string => text.replace(/./g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Every way a JSON writer (or a hostile upstream) can escape a key inside a JSON string. */
const ESCAPES: readonly (readonly [string, (key: string) => string])[] = [
  ['every character \\u-escaped', unicode],
  ['its first character \\u-escaped', (key) => `${unicode(key.charAt(0))}${key.slice(1)}`],
  [
    'one character in the middle \\u-escaped, upper-case hex',
    (key) => `${key.slice(0, 5)}${unicode(key.charAt(5)).toUpperCase().replace('\\U', '\\u')}${key.slice(6)}`,
  ],
  ["'/' as \\/ (PHP, Java)", (key) => key.replace(/\//g, '\\/')],
  ["'+' as \\u002B (.NET)", (key) => key.replace(/\+/g, '\\u002B')],
  [
    'in a JSON string inside a JSON string (a tool call), escaped in the inner one',
    (key) => `{\\"key\\":\\"${unicode(key.charAt(0)).replace('\\', '\\\\')}${key.slice(1)}\\"}`,
  ],
];

describe('Redactor: a key hidden by JSON escapes (a client JSON parser rebuilds it)', () => {
  const redactor = new Redactor(ESCAPED_KEYS);

  for (const key of ESCAPED_KEYS) {
    it.each(ESCAPES)(`${key.slice(0, 6)}…, %s`, (_how, escape) => {
      const body = `{"id":"r1","output_text":"key ${escape(key)} rejected"}`;
      expect(redactor.holdsSecret(body)).toBe(true);
      const out = redactor.text(body);
      const parsed = JSON.parse(out) as { output_text: string };
      expect(parsed.output_text).toContain(REDACTED);
      expect(JSON.stringify(parsed)).not.toContain(key.slice(-12));
      expect(out.replace(/\\\\/g, '\\').replace(/\\u([0-9a-f]{4})/gi, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16)))).not.toContain(
        key.slice(0, 8),
      );
      expect(out).toMatch(/^\{"id":"r1","output_text":"key .*\[redacted\].* rejected"\}$/);
    });
  }

  it.each([
    ['a model answer with line breaks and quotes', '{"delta":"line one\\nline two: \\"quoted\\" \\\\ done"}'],
    ['non-ASCII text escaped by a Python upstream', '{"delta":"caf\\u00e9 \\u4e2d\\u6587"}'],
    ['an escaped word that is not a key', '{"delta":"\\u0073ome \\/ path"}'],
  ])('leaves %s as it is', (_what, text) => {
    expect(redactor.holdsSecret(text)).toBe(false);
    expect(redactor.text(text)).toBe(text);
  });

  it('holds back an escaped start of a key, and an escape cut short, while the rest may follow', () => {
    expect(redactor.unsettledFrom(`key: ${unicode('sk-p')}`)).toBe(5);
    expect(redactor.unsettledFrom('key: \\u00')).toBe(5);
    expect(redactor.unsettledFrom(`key: ${MIXED.slice(0, 20)}\\/`)).toBe(5);
    expect(redactor.unsettledFrom('line\\nbreak done')).toBe('line\\nbreak done'.length);
  });

  it('redacts a text full of escaped needles in one pass', () => {
    const text = `${unicode('sk-proj-')} `.repeat(20_000);
    expect(redactor.text(text)).toBe(`${REDACTED} `.repeat(20_000));
  });
});
