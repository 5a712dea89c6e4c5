/**
 * Pure: a team's usage answer (GET /admin/teams/{team}/usage) as a table for a terminal: one
 * row per day with traffic and a total row, then the absorbed failures by kind and how many
 * requests reported no tokens. `usage --json` prints the answer as it is instead.
 */

type Row = Readonly<Record<string, unknown>>;

const COLUMNS: readonly (readonly [string, string])[] = [
  ['requests', 'requests'],
  ['failed', 'failed'],
  ['absorbed', 'absorbed'],
  ['retries', 'retries'],
  ['fallbacks', 'fallbacks'],
  ['input_tokens', 'tokens in'],
  ['output_tokens', 'tokens out'],
  ['cached_tokens', 'cached'],
  ['reasoning_tokens', 'reasoning'],
];
const KINDS: readonly (readonly [string, string])[] = [
  ['absorbed_transport', 'reset/transport'],
  ['absorbed_5xx', '5xx'],
  ['absorbed_429', '429'],
  ['absorbed_timeout', 'timeout'],
  ['absorbed_empty', 'empty'],
  ['absorbed_other', 'other'],
];

const isRow = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value);
const count = (row: Row, key: string): number => (typeof row[key] === 'number' ? row[key] : 0);
const text = (row: Row, key: string, fallback: string): string => (typeof row[key] === 'string' ? row[key] : fallback);
const number = (value: number): string => value.toLocaleString('en-US');

export function formatUsage(answer: unknown): string {
  const doc = isRow(answer) ? answer : {};
  const days = Array.isArray(doc['days']) ? doc['days'].filter(isRow) : [];
  const totals = isRow(doc['totals']) ? doc['totals'] : {};
  const title = `usage of team ${text(doc, 'team_id', '?')}, ${text(doc, 'from', '?')} to ${text(doc, 'to', '?')} (UTC days with traffic)`;
  if (days.length === 0) return `${title}\n\nno requests in this period\n`;

  const header = ['day', ...COLUMNS.map(([, label]) => label)];
  const rows = [
    ...days.map((day) => [text(day, 'day', ''), ...COLUMNS.map(([key]) => number(count(day, key)))]),
    ['total', ...COLUMNS.map(([key]) => number(count(totals, key)))],
  ];
  const widths = header.map((label, index) => Math.max(label.length, ...rows.map((row) => (row[index] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0))).join('  ');

  const out = [title, '', line(header), ...rows.map(line), ''];
  out.push(`absorbed failures by kind: ${KINDS.map(([key, label]) => `${label} ${number(count(totals, key))}`).join(', ')}`);
  const unmetered = count(totals, 'requests') - count(totals, 'metered');
  if (unmetered > 0)
    out.push(
      `${number(unmetered)} of ${number(count(totals, 'requests'))} requests reported no token usage (e.g. chat streams without stream_options.include_usage)`,
    );
  return `${out.join('\n')}\n`;
}
