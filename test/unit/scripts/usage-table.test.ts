import { describe, expect, it } from 'vitest';
import { formatUsage } from '../../../scripts/lib/usage-table';

const zero = {
  requests: 0,
  failed: 0,
  absorbed: 0,
  absorbed_transport: 0,
  absorbed_5xx: 0,
  absorbed_429: 0,
  absorbed_timeout: 0,
  absorbed_empty: 0,
  absorbed_other: 0,
  retries: 0,
  fallbacks: 0,
  metered: 0,
  input_tokens: 0,
  output_tokens: 0,
  total_tokens: 0,
  cached_tokens: 0,
  reasoning_tokens: 0,
};

describe('formatUsage', () => {
  it('a row per day, a total row, absorbed failures by kind and the unmetered requests', () => {
    const days = [
      {
        ...zero,
        day: '2030-01-01',
        requests: 12,
        absorbed: 3,
        absorbed_transport: 2,
        absorbed_5xx: 2,
        retries: 4,
        fallbacks: 1,
        metered: 12,
        input_tokens: 12_345,
        output_tokens: 678,
        cached_tokens: 1_000,
        reasoning_tokens: 20,
      },
      { ...zero, day: '2030-01-02', requests: 5, failed: 1, metered: 3, input_tokens: 1_000, output_tokens: 500 },
    ];
    const totals = {
      ...zero,
      requests: 17,
      failed: 1,
      absorbed: 3,
      absorbed_transport: 2,
      absorbed_5xx: 2,
      retries: 4,
      fallbacks: 1,
      metered: 15,
      input_tokens: 13_345,
      output_tokens: 1_178,
      cached_tokens: 1_000,
      reasoning_tokens: 20,
    };
    expect(formatUsage({ object: 'team.usage', team_id: 'acme', from: '2030-01-01', to: '2030-01-30', days, totals })).toBe(
      [
        'usage of team acme, 2030-01-01 to 2030-01-30 (UTC days with traffic)',
        '',
        'day         requests  failed  absorbed  retries  fallbacks  tokens in  tokens out  cached  reasoning',
        '2030-01-01        12       0         3        4          1     12,345         678   1,000         20',
        '2030-01-02         5       1         0        0          0      1,000         500       0          0',
        'total             17       1         3        4          1     13,345       1,178   1,000         20',
        '',
        'absorbed failures by kind: reset/transport 2, 5xx 2, 429 0, timeout 0, empty 0, other 0',
        '2 of 17 requests reported no token usage (e.g. chat streams without stream_options.include_usage)',
        '',
      ].join('\n'),
    );
  });

  it('a period without traffic says so', () => {
    expect(formatUsage({ team_id: 'acme', from: '2030-01-01', to: '2030-01-30', days: [], totals: zero })).toBe(
      'usage of team acme, 2030-01-01 to 2030-01-30 (UTC days with traffic)\n\nno requests in this period\n',
    );
  });
});
