import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../src/core/redact';
import { presentedKey } from '../../../src/core/credentials';
import { clientResponseHeaders, upstreamRequestHeaders } from '../../../src/http/headers';
import { requestSecrets } from '../../../src/http/secrets';

const codexRequest = new Headers({
  authorization: 'Bearer sk-client',
  'content-type': 'application/json',
  accept: 'text/event-stream',
  originator: 'codex_exec',
  'user-agent': 'codex_exec/0.169.0',
  'session-id': 's1',
  'thread-id': 't1',
  'x-client-request-id': 'c1',
  'x-codex-turn-state': 'ts',
  'x-codex-turn-metadata': '{"git":"secret"}',
  'openai-beta': 'responses=v1',
  traceparent: '00-abc-def-01',
  connection: 'keep-alive',
  'keep-alive': 'timeout=5',
  'transfer-encoding': 'chunked',
  upgrade: 'websocket',
  'proxy-authorization': 'Basic x',
  host: 'gateway.example',
  cookie: 'a=b',
  'cf-connecting-ip': '1.2.3.4',
  'x-api-key': 'gateway-key',
});

describe('upstreamRequestHeaders', () => {
  it.each([
    ['authorization', 'Bearer sk-client'],
    ['content-type', 'application/json'],
    ['accept', 'text/event-stream'],
    ['originator', 'codex_exec'],
    ['user-agent', 'codex_exec/0.169.0'],
    ['session-id', 's1'],
    ['thread-id', 't1'],
    ['x-client-request-id', 'c1'],
    ['x-codex-turn-state', 'ts'],
    ['x-codex-turn-metadata', '{"git":"secret"}'],
    ['openai-beta', 'responses=v1'],
    ['traceparent', '00-abc-def-01'],
    ...['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-authorization', 'host', 'cookie', 'cf-connecting-ip', 'x-api-key'].map(
      (name): [string, null] => [name, null],
    ),
  ])('client key mode: %s → %s', (name, expected) => {
    expect(upstreamRequestHeaders(codexRequest, { kind: 'client' }).get(name)).toBe(expected);
  });

  it('replaces the client key with the gateway key', () => {
    expect(upstreamRequestHeaders(codexRequest, { kind: 'key', key: 'sk-owner' }).get('authorization')).toBe('Bearer sk-owner');
  });
});

describe('clientResponseHeaders', () => {
  const upstream = new Headers({
    'content-type': 'text/event-stream',
    'x-request-id': 'req_1',
    'x-codex-turn-state': 'ts',
    'openai-processing-ms': '12',
    'x-ratelimit-remaining-requests': '99',
    connection: 'keep-alive',
    'transfer-encoding': 'chunked',
    'content-length': '10',
    'content-encoding': 'gzip',
    'set-cookie': '__cf_bm=x',
    server: 'cloudflare',
  });
  it.each([
    ['content-type', 'text/event-stream'],
    ['x-request-id', 'req_1'],
    ['x-codex-turn-state', 'ts'],
    ['openai-processing-ms', '12'],
    ['x-ratelimit-remaining-requests', '99'],
    ...['connection', 'transfer-encoding', 'content-length', 'content-encoding', 'set-cookie', 'server'].map((name): [string, null] => [name, null]),
  ])('%s → %s', (name, expected) => {
    expect(clientResponseHeaders(upstream, Redactor.patterns)[name] ?? null).toBe(expected);
  });

  it('redacts a known secret a provider echoes in a relayed header', () => {
    const echoed = new Headers({ 'openai-organization': 'org for key sk-live-0123456789abcdef', 'x-request-id': 'c2stbGl2ZS0wMTIzNDU2Nzg5YWJjZGVm' });
    const headers = clientResponseHeaders(echoed, Redactor.patterns.with(['sk-live-0123456789abcdef']));
    expect(headers['openai-organization']).toBe('org for key [redacted]');
    expect(headers['x-request-id']).toBe('[redacted]');
  });

  it('redacts a key one header carries whatever the headers next to it hold (they are checked together first)', () => {
    const credential = 'Bearer q8Zt2mVn4LpW7xRc9KdY';
    const echoed = new Headers({ 'openai-a': 'Bearer a', 'openai-b': credential, 'openai-c': 'sk-', 'openai-d': 'proj-Zt2mVn4LpW7xRc9KdYq8' });
    const headers = clientResponseHeaders(echoed, Redactor.patterns);
    expect(headers['openai-b']).toBe('Bearer [redacted]');
    expect(headers['openai-a']).toBe('Bearer a');
    expect([headers['openai-c'], headers['openai-d']]).toEqual(['sk-', 'proj-Zt2mVn4LpW7xRc9KdYq8']);
  });

  it('drops a header whose name holds a key (the allowed prefixes admit any name)', () => {
    const key = 'e8d0f220e77fce1561578c153c605d98';
    const echoed = new Headers({ [`x-codex-${key}`]: '1', 'openai-gsk_rv0oj4xq8nmp2l': '1', 'x-codex-turn-state': 'ts' });
    const headers = clientResponseHeaders(echoed, Redactor.patterns.with([key]));
    expect(Object.keys(headers)).toEqual(['x-codex-turn-state']);
  });
});

describe('clientResponseHeaders: the one pass over all the headers finds what a pass per header would', () => {
  // Values that end in an escape cut short, hold quotes, escapes and pieces of keys: each header redacted alone is the reference.
  const secrets = ['sk-edge-Zq81vLx0PmTr44NwYb7c', 'pa"ss\\word12', 'abcdef0123456789abcdef'];
  const redactor = Redactor.patterns.with(secrets);
  const pieces = ['sk-', 'edge-', 'Zq81vLx0PmTr44NwYb7c', '\\', '\\u0073', 'k-edge-Zq81', '"', 'pa', '"ss', '\\\\word12', 'Bearer ', 'Basic ', 'dXNlcjpwYXNz'];
  const more = ['eyJhbGciOiJIUzI1NiJ9', '.', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'ABCDEF0123', '456789abcdef', 'x', 'key_', 'c2stZWRnZS1acTgx', '\\/'];
  const all = [...pieces, ...more];
  const names = ['openai-a', 'x-codex-b', 'x-ratelimit-c', 'x-codex-sk-edge-zq81vlx0pmtr44nwyb7c'];
  it('for 20,000 sets of headers made of those pieces', () => {
    let seed = 7;
    const pick = (count: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % count;
    };
    for (let round = 0; round < 20_000; round += 1) {
      const pairs: [string, string][] = [];
      for (let header = 0; header < 1 + pick(3); header += 1) {
        let value = '';
        for (let piece = pick(5); piece > 0; piece -= 1) value += all[pick(all.length)] ?? '';
        pairs.push([`${names[pick(names.length)] ?? ''}${header}`, value.trim()]);
      }
      const upstream = new Headers(pairs);
      const alone: Record<string, string> = {};
      for (const [name, value] of upstream) if (redactor.text(name) === name) alone[name] = redactor.text(value);
      expect(clientResponseHeaders(upstream, redactor)).toEqual(alone);
    }
  });
});

describe('requestSecrets', () => {
  it.each<[string, Record<string, string>, string, (string | null)[]]>([
    ['a bearer key', { authorization: 'Bearer k-0123456789abcdef' }, '/v1/responses', ['k-0123456789abcdef', null, 'k-0123456789abcdef']],
    [
      'keys in the query, as Azure and Google take them',
      {},
      '/v1/chat/completions?api-version=1&api-key=3883a89d0123&key=AIzaSyD-9tSrke72',
      [null, null, null, '3883a89d0123', 'AIzaSyD-9tSrke72'],
    ],
    ['no credential in the query', {}, '/v1/files?limit=10&order=desc', [null, null, null]],
    [
      'a Basic credential, and the password it decodes to (an upstream may echo it decoded); the user beside it is a name',
      { authorization: `Basic ${btoa('alice:pw-Zq9xLm2Rt7Vb4Nc8')}` },
      '/v1/chat/completions',
      [null, null, btoa('alice:pw-Zq9xLm2Rt7Vb4Nc8'), 'pw-Zq9xLm2Rt7Vb4Nc8'],
    ],
    [
      'a Basic key as its user (`key:`)',
      { authorization: `Basic ${btoa('k-0123456789abcdef:')}` },
      '/v1/models',
      [null, null, btoa('k-0123456789abcdef:'), 'k-0123456789abcdef'],
    ],
    ['a Basic credential that is not base64 of user:password', { authorization: 'Basic not~base64' }, '/v1/models', [null, null, 'not~base64']],
  ])('%s', (_name, headers, path, expected) => {
    expect(requestSecrets(new Headers(headers), `https://gateway.example${path}`)).toEqual(expected);
  });
});

describe('a Basic credential as the redactor knows it', () => {
  const redactorOf = (credential: string) =>
    Redactor.patterns.with(requestSecrets(new Headers({ authorization: `Basic ${btoa(credential)}` }), 'https://gateway.example/v1/responses'));
  const event = '{"type":"response.output_item.done","item":{"type":"message","role":"assistant","content":[]}}';

  it('a user name beside a password is no secret: an answer that says the same word is not redacted', () => {
    const redactor = redactorOf('assistant:pw-Zq9xLm2Rt7Vb4Nc8');
    expect(redactor.text(event)).toBe(event);
    expect(redactor.text('invalid password pw-Zq9xLm2Rt7Vb4Nc8')).not.toContain('Zq9x');
  });

  it.each([['k-0123456789abcdef:'], ['k-0123456789abcdef:x']])('a key as the user (%j) is still found', (credential) => {
    expect(redactorOf(credential).text('unknown key k-0123456789abcdef')).not.toContain('0123456789');
  });
});

describe('presentedKey', () => {
  it.each<[Record<string, string>, string | null]>([
    [{ authorization: 'Bearer k1' }, 'k1'],
    [{ authorization: 'bearer k1 ' }, 'k1'],
    [{ 'x-api-key': 'k2' }, 'k2'],
    [{ authorization: 'Basic abc' }, null],
    [{}, null],
  ])('%j → %s', (headers, expected) => {
    expect(presentedKey(new Headers(headers))).toBe(expected);
  });
});
