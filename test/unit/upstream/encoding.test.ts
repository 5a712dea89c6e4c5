/** Which upstream bodies workerd leaves encoded: every Content-Encoding but none, identity, and exactly `gzip` or `br`. */
import { describe, expect, it } from 'vitest';
import { undecodedEncoding } from '../../../src/upstream/encoding';

describe('undecodedEncoding', () => {
  it.each<[string | null, string | null]>([
    [null, null],
    ['gzip', null],
    ['br', null],
    ['identity', null],
    ['Identity', null],
    [' gzip ', null], // Headers trim a value: workerd decodes it
    ['deflate', 'deflate'],
    ['zstd', 'zstd'],
    ['compress', 'compress'],
    ['x-gzip', 'x-gzip'],
    // workerd decodes only the lower-case name of one coding: a client would decode these.
    ['GZIP', 'GZIP'],
    ['Br', 'Br'],
    ['gzip, gzip', 'gzip, gzip'],
    ['identity, gzip', 'identity, gzip'],
    ['gzip,br', 'gzip,br'],
    ['made-up', 'made-up'],
  ])('%j → %j', (encoding, undecoded) => {
    const headers = new Headers(encoding === null ? {} : { 'content-encoding': encoding });
    expect(undecodedEncoding(headers)).toBe(undecoded);
  });
});
