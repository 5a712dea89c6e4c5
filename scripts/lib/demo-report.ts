/**
 * Pure: the parts of the demo's report that explain its table: the failures a client saw (the
 * first few, and how many more), and why the gateway made more upstream attempts than the client
 * made requests, read from the gateway's own log lines.
 */

/** The first `shown` items, each indented, then "... and N more" for the rest. */
export function listWithMore(items: readonly string[], shown: number): string[] {
  const lines = items.slice(0, shown).map((item) => `  ${item}`);
  if (items.length > shown) lines.push(`  ... and ${items.length - shown} more`);
  return lines;
}

/** A plain-text table: the first column left-aligned, the others right-aligned, three spaces apart. */
export function formatTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  return [head, ...rows].map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('   ')).join('\n');
}

interface LoggedAttempt {
  readonly outcome: string;
  readonly status: number | null;
}

interface LoggedRequest {
  readonly attempts: readonly LoggedAttempt[];
}

/** The gateway's log lines for `POST /v1/responses`, in the order they were written. */
export function turnsOf(logLines: readonly string[]): LoggedRequest[] {
  return logLines.flatMap((line) => {
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      return [];
    }
    if (typeof entry !== 'object' || entry === null) return [];
    const record = entry as Record<string, unknown>;
    if (record['msg'] !== 'request' || record['method'] !== 'POST' || record['route'] !== '/v1/responses' || !Array.isArray(record['attempts'])) return [];
    return [{ attempts: record['attempts'] as LoggedAttempt[] }];
  });
}

function attemptName(attempt: LoggedAttempt): string {
  switch (attempt.outcome) {
    case 'ok':
      return 'ok';
    case 'status':
      return String(attempt.status);
    case 'transport':
      return 'connection reset';
    default:
      return attempt.outcome;
  }
}

export interface RetryFacts {
  /** Requests the client made. */
  readonly requests: number;
  /** Attempts the provider counted (stale-connection hits included). */
  readonly attempts: number;
  /** Requests of the gateway's that arrived on a connection past the provider's idle cutoff. */
  readonly staleHits: number;
}

/**
 * Why there were more attempts than requests: each request that took more than one, with what
 * its attempts met, and how many of the resets were pooled connections the provider had dropped.
 */
export function retryExplanation(logLines: readonly string[], facts: RetryFacts): string[] {
  if (facts.attempts <= facts.requests) return [];
  const turns = turnsOf(logLines);
  const retried = turns.flatMap((turn, index) => (turn.attempts.length > 1 ? [`#${index + 1}: ${turn.attempts.map(attemptName).join(' → ')}`] : []));
  const retries = facts.attempts - facts.requests;
  const lines = [
    `Why ${facts.attempts} upstream attempts for ${facts.requests} requests through codex-edge: it retried ${retries} ` +
      `${retries === 1 ? 'time' : 'times'}, each before`,
    'the first byte reached the client, so the client saw none of these:',
    ...retried.map((line) => `  ${line}`),
  ];
  if (facts.staleHits > 0) {
    lines.push(
      `  (${facts.staleHits} of the connection resets: workerd reused a pooled connection the provider had already dropped at its idle ` +
        `cutoff, as a client's pool does.)`,
    );
  }
  return lines;
}

/** How to open the operator page the demo's gateway serves; `interactive`: the demo waits for Ctrl-C (a terminal), else it exits. */
export function operatorPageNote(url: string, adminToken: string, interactive: boolean): string[] {
  return [
    `\nThe operator view of this run: ${url}/admin (open it in a browser on this machine), and sign in with this run's admin token:`,
    `  ${adminToken}`,
    interactive
      ? 'The gateway and the simulator keep running while you look; press Ctrl-C to stop them.'
      : 'Not a terminal: the demo exits now and the gateway with it (run `npm run demo` in a terminal to keep it up).',
  ];
}
