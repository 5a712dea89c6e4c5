import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../src/core/redact';
import { presentedKey } from '../../../src/core/credentials';
import { clientResponseHeaders, upstreamRequestHeaders } from '../../../src/http/headers';

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
    expect(clientResponseHeaders(upstream, Redactor.patterns).get(name)).toBe(expected);
  });

  it('redacts a known secret a provider echoes in a relayed header', () => {
    const echoed = new Headers({ 'openai-organization': 'org for key sk-live-0123456789abcdef', 'x-request-id': 'c2stbGl2ZS0wMTIzNDU2Nzg5YWJjZGVm' });
    const headers = clientResponseHeaders(echoed, Redactor.patterns.with(['sk-live-0123456789abcdef']));
    expect(headers.get('openai-organization')).toBe('org for key [redacted]');
    expect(headers.get('x-request-id')).toBe('[redacted]');
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
