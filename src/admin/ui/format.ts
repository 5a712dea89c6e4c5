/** Pure: numbers and durations as people read them (grouped digits, ms or s, a share in %). */
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const short = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function count(value: number): string {
  return whole.format(value);
}

/** 12,345 → "12.3k", 2,500,000 → "2.5M": for token totals. */
export function compact(value: number): string {
  if (value < 10_000) return whole.format(value);
  if (value < 1_000_000) return `${short.format(value / 1_000)}k`;
  return `${short.format(value / 1_000_000)}M`;
}

export function duration(ms: number | null): string {
  if (ms === null) return '–';
  return ms < 1_000 ? `${whole.format(ms)} ms` : `${short.format(ms / 1_000)} s`;
}

export function share(part: number, total: number): string {
  return total === 0 ? '–' : `${short.format((part / total) * 100)}%`;
}
