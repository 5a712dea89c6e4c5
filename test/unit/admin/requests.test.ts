import { describe, expect, it } from 'vitest';
import { periodOf, requestFilter, snakeKeys } from '../../../src/admin/requests';
import { GatewayError } from '../../../src/core/errors';

const query =
  (params: Record<string, string>) =>
  (name: string): string | undefined =>
    params[name];

describe('requestFilter', () => {
  it.each([
    [{}, { teamId: null, status: null, outcome: null, limit: 100 }],
    [
      { team: ' acme ', status: '429', outcome: 'refused', limit: '5' },
      { teamId: 'acme', status: 429, outcome: 'refused', limit: 5 },
    ],
    [
      { team: '', status: '', outcome: '' },
      { teamId: null, status: null, outcome: null, limit: 100 },
    ],
  ])('%j', (params, expected) => {
    expect(requestFilter(query(params))).toEqual(expected);
  });

  it.each([[{ outcome: 'fine' }], [{ status: '99' }], [{ limit: '501' }], [{ status: '2xx' }]])('refuses %j', (params) => {
    expect(() => requestFilter(query(params))).toThrow(GatewayError);
  });
});

describe('periodOf', () => {
  it.each([
    [undefined, '24h'],
    ['', '24h'],
    ['1h', '1h'],
    ['7d', '7d'],
  ] as const)('%s → %s', (value, period) => {
    expect(periodOf(value)).toBe(period);
  });

  it('refuses a period it does not offer', () => {
    expect(() => periodOf('30d')).toThrow(GatewayError);
  });
});

describe('snakeKeys', () => {
  it.each([
    [
      { ttfbP50: 1, absorbedAttempts: { '5xx': 2 } },
      { ttfb_p50: 1, absorbed_attempts: { '5xx': 2 } },
    ],
    [[{ requestId: 'r', attempts: [{ target: 'a' }] }], [{ request_id: 'r', attempts: [{ target: 'a' }] }]],
    [null, null],
    ['textStaysAsIs', 'textStaysAsIs'],
  ])('%j', (value, expected) => {
    expect(snakeKeys(value)).toEqual(expected);
  });
});
