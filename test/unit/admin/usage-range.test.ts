import { describe, expect, it } from 'vitest';
import { usageRange } from '../../../src/admin/usage';
import { GatewayError } from '../../../src/core/errors';

const now = new Date('2030-03-15T12:00:00Z');

describe('usageRange', () => {
  it.each<[string | undefined, string | undefined, { from: string; to: string }]>([
    [undefined, undefined, { from: '2030-02-14', to: '2030-03-15' }],
    ['2030-03-01', undefined, { from: '2030-03-01', to: '2030-03-15' }],
    [undefined, '2030-01-31', { from: '2030-01-02', to: '2030-01-31' }],
    ['2030-01-01', '2030-01-01', { from: '2030-01-01', to: '2030-01-01' }],
    ['2029-01-01', '2030-01-01', { from: '2029-01-01', to: '2030-01-01' }],
  ])('from %s to %s', (from, to, expected) => {
    expect(usageRange(from, to, now)).toEqual(expected);
  });

  it.each<[string | undefined, string | undefined, string, RegExp]>([
    ['2030-02-30', undefined, 'from', /must be a day as YYYY-MM-DD, got "2030-02-30"/],
    [undefined, 'yesterday', 'to', /must be a day as YYYY-MM-DD/],
    ['2030-3-1', undefined, 'from', /YYYY-MM-DD/],
    ['2030-03-02', '2030-03-01', 'from', /must not be after "to"/],
    ['2028-01-01', '2030-01-01', 'from', /at most 366 days/],
  ])('from %s to %s → 400 on %s', (from, to, param, message) => {
    try {
      usageRange(from, to, now);
      expect.unreachable();
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
      expect(err.status).toBe(400);
      expect(err.body.param).toBe(param);
      expect(err.body.message).toMatch(message);
    }
  });
});
