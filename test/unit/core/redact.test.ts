import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor, redactPatterns } from '../../../src/core/redact';

/** One key of each format a provider or the gateway uses. */
const KEYS: readonly (readonly [string, string])[] = [
  ['OpenAI project key', 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z'],
  ['Anthropic key', 'sk-ant-api03-Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0'],
  ['Azure key (32 hex)', '0f1e2d3c4b5a69788796a5b4c3d2e1f0'],
  ['Google key', 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY'],
  ['Groq key', 'gsk_8hJkL2mNpQ4rStUvWxYz6aBcDeFgHiJk'],
  ['Mistral key (32 alphanumerics)', 'Xq7LmN2pR8sT4vW6yZ1bC3dF5gH9jK0M'],
  ['JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZWFtIn0.c2lnbmF0dXJlLXZhbHVl'],
  ['a gateway admin token', 'adm-7c1e0b9a4d2f6e8a3b5c7d9e1f2a4b6c'],
];

function basic(user: string, key: string): string {
  return btoa(`${user}:${key}`);
}

/** Every way an upstream was seen echoing a key it received. */
const ECHOES: readonly (readonly [string, (key: string) => string])[] = [
  ['plain', (key) => `Incorrect API key provided: ${key}.`],
  ['in JSON', (key) => JSON.stringify({ error: { code: key, param: `key=${key}` } })],
  ['URL-encoded', (key) => `rejected ${encodeURIComponent(key)}`],
  ['base64 user:key (user of 0..3 characters)', (key) => ['', 'u', 'us', 'usr'].map((user) => `Basic ${basic(user, key)}`).join(' / ')],
  ['base64 inside a longer text', (key) => `token=${basic('api', key)};`],
  ['its first 10 characters, then …', (key) => `key ${key.slice(0, 10)}...${key.slice(-4)} is invalid`],
  ['in an HTML page', (key) => `<html><body><p>Unauthorized: ${key}</p></body></html>`],
];

describe('Redactor: known secrets by value', () => {
  for (const [format, key] of KEYS) {
    it.each(ECHOES)(`${format}, echoed %s`, (_how, echo) => {
      const out = new Redactor([key]).text(echo(key));
      expect(out).toContain(REDACTED);
      expect(out).not.toContain(key.slice(0, 8));
      expect(out).not.toContain(encodeURIComponent(key).slice(0, 8));
      expect(out).not.toContain(key.slice(-12));
    });
  }

  it('leaves text without a secret as it is, and says so cheaply', () => {
    const redactor = new Redactor(['sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z']);
    expect(redactor.holdsSecret('a message about rate limits')).toBe(false);
    expect(redactor.text('a message about rate limits')).toBe('a message about rate limits');
  });

  it('ignores secrets too short to find safely (patterns still apply)', () => {
    expect(new Redactor(['abc']).text('abc abcdef')).toBe('abc abcdef');
  });

  it('with() the same secrets again gives the same redactor (prepared once per client key)', () => {
    const base = Redactor.patterns.with(['deployment-secret-123']);
    expect(base.with(['client-key-value-456', null])).toBe(base.with(['client-key-value-456', null]));
    expect(base.with(['client-key-value-456'])).not.toBe(base.with(['client-key-value-789']));
  });

  it('with() adds secrets learnt later in the request', () => {
    const redactor = Redactor.patterns.with(['first-secret-value-123']).with(['second-secret-value-456']);
    expect(redactor.text('first-secret-value-123 second-secret-value-456')).toBe(`${REDACTED} ${REDACTED}`);
  });
});

describe('redactPatterns: keys the gateway was never told', () => {
  it.each([
    ['Incorrect API key provided: sk-proj-abcdef123456.', 'Incorrect API key provided: sk-[redacted].'],
    ['token Bearer abc.def.ghi rejected', 'token Bearer [redacted] rejected'],
    ['auth Basic dXNlcjpzZWNyZXQ= rejected', 'auth Basic [redacted] rejected'],
    ['team key cxe_0123456789abcdef is revoked', 'team key cxe[redacted] is revoked'],
    ['team key cxe_01234567… was revoked', 'team key cxe_01234567… was revoked'],
    ['google AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY', 'google AIza[redacted]'],
    ['groq gsk_8hJkL2mNpQ4rStUvWxYz6aBcDeFgHiJk', 'groq gsk[redacted]'],
    ['header bearer abc.def.ghi (any case)', 'header bearer [redacted] (any case)'],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZWFtIn0.c2ln', 'jwt eyJ[redacted]'],
    ['azure key_0123456789abcdef', 'azure key_[redacted]'],
    ['{"route":"/v1/chat/completions","model":"gpt-test","status":200}', '{"route":"/v1/chat/completions","model":"gpt-test","status":200}'],
    ['stripe-style pk_test_4eC39HqLyjWDarjtT1zdp7dc', 'stripe-style pk_[redacted]'],
    ['auth Basic dXNlcjpwYXNz (user:pass, whatever its letters)', 'auth Basic [redacted] (user:pass, whatever its letters)'],
    ['letters only Bearer abcdefghijklmnopqrstuvwxyzABCDEFGH', 'letters only Bearer [redacted]'],
    ['lowercase only sk-abcdefghijklmnopqrstuvwx', 'lowercase only sk-[redacted]'],
    ['a JWT before a full stop eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZWFtIn0.c2ln.', 'a JWT before a full stop eyJ[redacted].'],
  ])('%s', (input, expected) => {
    expect(redactPatterns(input)).toBe(expected);
  });

  // A model's answer passes through these patterns in a stream's terminal event: words stay words.
  it.each([
    'A basic example: the bearer of bad news',
    'Bearer authentication. Basic Authentication',
    'key_value_mapping_table; SELECT pk_user_id FROM sess_manager',
    'pip install sk-learn; the rk_lookup helper',
    'pk_user_account_settings_table',
    'DELETE /admin/teams/team_Xy3kP0aZ9qLmN/keys/key_Ab3dE6gH9jK2m (a record id)',
  ])('leaves ordinary text alone: %s', (text) => {
    expect(redactPatterns(text)).toBe(text);
  });

  it('searches a hostile text in one pass (a lookahead per key prefix took quadratic time: seconds here)', () => {
    const text = `${'sk-'.repeat(100_000)} ${'key_'.repeat(100_000)} ${'Bearer x '.repeat(10_000)} ${'eyJ-'.repeat(100_000)}`;
    expect(redactPatterns(text)).toBe(text);
  });
});

describe('a known secret with characters no token has (a key is any text)', () => {
  const secrets = ['acct4821:Zq7RvX9mLp2TnW8k', 'Xk9mP2vL#8qR5tY!w3Hs'];
  const redactor = Redactor.patterns.with(secrets);

  it('is redacted whole, as it is and URL-encoded', () => {
    expect(redactor.text(`invalid key ${secrets[0]} (${secrets[1]})`)).toBe(`invalid key ${REDACTED} (${REDACTED})`);
    expect(redactor.text(`sent as ${encodeURIComponent(secrets[0] ?? '')} in a URL`)).toBe(`sent as ${REDACTED} in a URL`);
  });

  it('redacts a text full of needles in one pass (rebuilding it per needle took 9 s for 250,000 characters)', () => {
    const redactor = Redactor.patterns.with(['sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z']);
    expect(redactor.text('sk-proj- '.repeat(200_000))).toBe(`${REDACTED} `.repeat(200_000));
  });

  it('holds back its start while the rest of it may still arrive', () => {
    const text = 'invalid key acct4821:Zq7';
    expect(redactor.unsettledFrom(text)).toBe('invalid key '.length);
  });
});

describe('Redactor.unsettledFrom: text that arrives in pieces', () => {
  const key = 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z';
  const redactor = new Redactor([key]);

  it('lets text without a secret go whole', () => {
    expect(redactor.unsettledFrom('nothing secret here ')).toBe(20);
  });

  it('holds back the start of a secret cut by the end of the piece', () => {
    expect(redactor.unsettledFrom('key: sk-pro')).toBe(5);
    expect(redactor.unsettledFrom(`key: ${encodeURIComponent(key).slice(0, 4)}`)).toBe(5);
  });

  it('holds back a token that holds a secret and runs to the end (its rest may follow)', () => {
    expect(redactor.unsettledFrom(`ok; api_key=${key.slice(0, 20)}`)).toBe(4);
  });

  it('lets a token holding a secret go once it has ended', () => {
    expect(redactor.unsettledFrom(`api_key=${key} and more`)).toBe(`api_key=${key} and more`.length);
  });
});
