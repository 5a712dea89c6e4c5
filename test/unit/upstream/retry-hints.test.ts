import { describe, expect, it } from 'vitest';
import { parseDuration, parseRetryAfter, parseTryAgainIn, retryHintMs } from '../../../src/upstream/retry-hints';

const NOW = Date.parse('2026-11-21T12:00:00Z');

describe('retryHintMs', () => {
  it.each<[string, Record<string, string>, string | null, number | null]>([
    ['nothing', {}, null, null],
    ['retry-after seconds', { 'retry-after': '7' }, null, 7_000],
    ['retry-after fractional', { 'retry-after': '1.5' }, null, 1_500],
    ['retry-after HTTP date', { 'retry-after': 'Sat, 21 Nov 2026 12:00:30 GMT' }, null, 30_000],
    ['retry-after date in the past', { 'retry-after': 'Sat, 21 Nov 2026 11:00:00 GMT' }, null, 0],
    ['retry-after garbage', { 'retry-after': 'soon' }, null, null],
    ['retry-after-ms wins over retry-after', { 'retry-after-ms': '250', 'retry-after': '7' }, null, 250],
    ['"try again in" text', {}, 'Rate limit reached. Please try again in 1.5s. Visit ...', 1_500],
    ['"try again in" ms', {}, 'Please try again in 200ms.', 200],
    ['"try again in" seconds word', {}, 'try again in 20 seconds', 20_000],
    ['header wins over text', { 'retry-after': '3' }, 'try again in 20s', 3_000],
    ['exhausted request limit', { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6m0s' }, null, 360_000],
    ['limit not exhausted is no hint', { 'x-ratelimit-remaining-requests': '10', 'x-ratelimit-reset-requests': '6m0s' }, null, null],
    ['a number too large to be a wait is no hint', { 'retry-after-ms': '9'.repeat(400) }, null, null],
    ['nor is one in seconds', { 'retry-after': '9'.repeat(400) }, null, null],
    ['nor a reset longer than any duration', { 'x-ratelimit-reset-requests': `${'1'.repeat(150_000)}x` }, null, null],
    ['longest exhausted limit', { 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '20ms' }, null, 1_000],
  ])('%s', (_name, headers, message, expected) => {
    expect(retryHintMs(new Headers(headers), message, NOW)).toBe(expected);
  });
});

describe('parsers', () => {
  it.each([
    ['1s', 1_000],
    ['20ms', 20],
    ['6m0s', 360_000],
    ['1h2m3.5s', 3_723_500],
    ['2', 2_000],
    ['abc', null],
    ['1s junk', null],
  ])('duration %s → %s', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it('ignores a negative or empty Retry-After', () => {
    expect(parseRetryAfter('-1', NOW)).toBeNull();
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect(parseTryAgainIn('no hint here')).toBeNull();
  });
});
