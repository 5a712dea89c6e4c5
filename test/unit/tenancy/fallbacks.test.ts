import { describe, expect, it } from 'vitest';
import { fallbacksHeader } from '../../../src/tenancy/fallbacks';
import type { AttemptRecord } from '../../../src/upstream/attempts';

const ok = (target: string): AttemptRecord => ({ target, outcome: 'ok', status: 200, ms: 1 });
const status = (target: string, code: number): AttemptRecord => ({ target, outcome: 'status', status: code, ms: 1 });
const timeout = (target: string): AttemptRecord => ({ target, outcome: 'timeout', status: null, ms: 1 });

describe('fallbacksHeader', () => {
  it.each<[string, AttemptRecord[], string | null]>([
    ['one attempt', [ok('a')], null],
    ['retries of one upstream are not fallbacks', [status('a', 502), ok('a')], null],
    ['a failed, b served', [status('a', 502), ok('b')], 'a=502'],
    ['a timed out, b failed, a served', [timeout('a'), status('b', 503), ok('a')], 'a=timeout, b=503'],
    ['all failed: every attempt before the last', [status('a', 502), status('b', 500)], 'a=502'],
  ])('%s → %s', (_name, attempts, expected) => {
    expect(fallbacksHeader(attempts)).toBe(expected);
  });
});
