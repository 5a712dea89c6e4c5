import { describe, expect, it } from 'vitest';
import { headerBytes, MAX_HEADER_BYTES, MAX_URL_BYTES, oversized, urlBytes } from '../../../src/http/limits';

/** A request whose target (path and query) is `length` bytes, with `headerSize` bytes of headers. */
function request(length: number, headerSize = 0): Request {
  const prefix = '/v1/responses?q=';
  const headers: Record<string, string> = headerSize === 0 ? {} : { 'x-pad': 'p'.repeat(headerSize - 'x-pad'.length - 4) };
  return new Request(`https://a-long-host-name.example${prefix}${'a'.repeat(length - prefix.length)}`, { headers });
}

describe('urlBytes and headerBytes', () => {
  it('count the request target (not the host) and each header as on the wire', () => {
    expect(urlBytes('https://host.example/v1/models?x=1')).toBe('/v1/models?x=1'.length);
    expect(urlBytes('https://host.example')).toBe(1);
    expect(headerBytes(new Headers({ a: 'bc', 'x-y': '' }))).toBe(1 + 2 + 4 + (3 + 0 + 4));
  });
});

describe('oversized', () => {
  it.each<[string, Request, string | null]>([
    ['a URL at the limit', request(MAX_URL_BYTES), null],
    ['a URL one byte over', request(MAX_URL_BYTES + 1), 'uri_too_long'],
    ['headers at the limit', request(100, MAX_HEADER_BYTES), null],
    ['headers one byte over', request(100, MAX_HEADER_BYTES + 1), 'request_header_fields_too_large'],
    ['both over: the URL is named', request(MAX_URL_BYTES + 1, MAX_HEADER_BYTES + 1), 'uri_too_long'],
  ])('%s → %s', (_case, input, code) => {
    const error = oversized(input);
    expect(error?.body.code ?? null).toBe(code);
    if (error !== null) {
      expect(error.status).toBe(code === 'uri_too_long' ? 414 : 431);
      expect(error.advice).toEqual({ kind: 'final' });
    }
  });
});
