import { describe, expect, it } from 'vitest';
import { formatTable, listWithMore, operatorPageNote, retryExplanation } from '../../../scripts/lib/demo-report';

const line = (attempts: readonly [string, number | null][], route = '/v1/responses'): string =>
  JSON.stringify({
    level: 'info',
    msg: 'request',
    method: 'POST',
    route,
    attempts: attempts.map(([outcome, status]) => ({ target: 'sim', outcome, status, ms: 1 })),
  });

describe('listWithMore', () => {
  it('shows the first few and counts the rest', () => {
    const failures = Array.from({ length: 9 }, (_, i) => `#${i + 1}: read ECONNRESET`);
    expect(listWithMore(failures, 5)).toEqual([
      '  #1: read ECONNRESET',
      '  #2: read ECONNRESET',
      '  #3: read ECONNRESET',
      '  #4: read ECONNRESET',
      '  #5: read ECONNRESET',
      '  ... and 4 more',
    ]);
    expect(listWithMore(failures.slice(0, 5), 5)).toHaveLength(5);
  });
});

describe('retryExplanation', () => {
  const logs = [
    line([['ok', 200]]),
    '{"level":"warn","msg":"configuration"}',
    'not json',
    line([
      ['status', 503],
      ['status', 502],
      ['ok', 200],
    ]),
    line([['ok', 200]], '/v1/models'),
    line([
      ['transport', null],
      ['ok', 200],
    ]),
  ];

  it('names each retried request (numbered as the client made them) and what its attempts met', () => {
    expect(retryExplanation(logs, { requests: 3, attempts: 6, staleHits: 1 })).toEqual([
      'Why 6 upstream attempts for 3 requests through codex-edge: it retried 3 times, each before',
      'the first byte reached the client, so the client saw none of these:',
      '  #2: 503 → 502 → ok',
      '  #3: connection reset → ok',
      "  (1 of the connection resets: workerd reused a pooled connection the provider had already dropped at its idle cutoff, as a client's pool does.)",
    ]);
  });

  it('says nothing when there were no more attempts than requests', () => {
    expect(retryExplanation([line([['ok', 200]])], { requests: 1, attempts: 1, staleHits: 0 })).toEqual([]);
  });
});

describe('formatTable', () => {
  it('aligns the first column left and the others right, three spaces apart', () => {
    expect(
      formatTable(
        ['', 'requests', 'time'],
        [
          ['direct', '84', '15.1 s'],
          ['through codex-edge', '14', '22.1 s'],
        ],
      ).split('\n'),
    ).toEqual(['                     requests     time', 'direct                     84   15.1 s', 'through codex-edge         14   22.1 s']);
  });
});

describe('operatorPageNote', () => {
  it.each([
    [true, 'press Ctrl-C'],
    [false, 'the demo exits now'],
  ])('interactive %s: the URL, the token and what happens next', (interactive, next) => {
    const note = operatorPageNote('http://127.0.0.1:8787', 'demo-token', interactive).join('\n');
    expect(note).toContain('http://127.0.0.1:8787/admin');
    expect(note).toContain('demo-token');
    expect(note).toContain(next);
  });
});
