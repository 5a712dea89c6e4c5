/**
 * For the outage e2e tests: a fresh simulator and gateway per test (a breaker opened by one
 * test must not greet the next), the gateway's request log lines, and a storm of clients that
 * retry every failure at once.
 */
import { afterEach, beforeEach } from 'vitest';
import { Agent, request } from 'undici';
import { startSimulator, type Simulator } from '../../simulator/server';
import { startGateway, type Gateway } from '../../scripts/lib/gateway';

export interface FreshStack {
  readonly sim: Simulator;
  readonly gateway: Gateway;
}

/** A simulator and the built gateway with its default settings, new for every test. */
export function useFreshStack(): FreshStack {
  let current: { sim: Simulator; gateway: Gateway } | undefined;
  beforeEach(async () => {
    const sim = await startSimulator();
    current = { sim, gateway: await startGateway({ UPSTREAM_BASE_URL: sim.baseUrl }) };
  });
  afterEach(async () => {
    await current?.gateway.close();
    await current?.sim.close();
    current = undefined;
  });
  const started = (): { sim: Simulator; gateway: Gateway } => {
    if (current === undefined) throw new Error('the stack is used outside a test');
    return current;
  };
  return {
    get sim() {
      return started().sim;
    },
    get gateway() {
      return started().gateway;
    },
  };
}

export interface LoggedRequest {
  readonly client: string;
  readonly status: number | null;
  readonly breaker: string | null;
  readonly attempts: readonly { readonly outcome: string; readonly status: number | null; readonly ms: number }[];
  readonly total_ms: number | null;
}

/** The gateway's log lines of `POST /v1/responses`, in the order they were written. */
export function responsesLog(gateway: Gateway): LoggedRequest[] {
  return gateway
    .requestLines()
    .filter((line) => line['route'] === '/v1/responses' && line['method'] === 'POST')
    .map((line) => line as unknown as LoggedRequest);
}

/**
 * The request lines once the gateway has written at least `count` and no more came for 300 ms
 * (they arrive a moment after the responses they describe), or after 5 s.
 */
export async function settledLog(gateway: Gateway, count: number): Promise<LoggedRequest[]> {
  const deadline = Date.now() + 5_000;
  let seen = -1;
  while (Date.now() < deadline) {
    const now = responsesLog(gateway).length;
    if (now >= count && now === seen) break;
    seen = now;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return responsesLog(gateway);
}

/** One line per request: its status, attempts and whether the breaker turned it away. */
export function describeLog(lines: readonly LoggedRequest[]): string {
  return lines
    .map(
      (line, index) =>
        `#${index + 1} ${line.status ?? '-'}${line.breaker === null ? '' : ` breaker ${line.breaker}`} ${line.total_ms ?? '-'} ms: ` +
        (line.attempts.map((a) => (a.outcome === 'status' ? String(a.status) : a.outcome)).join(' → ') || 'no attempt'),
    )
    .join('\n');
}

export interface StormResult {
  /** Requests the clients sent (each answered: none is left hanging, or the storm throws). */
  readonly sent: number;
  /** Time from the storm's start to each client's first success, null for one that never succeeded. */
  readonly firstSuccessAt: readonly (number | null)[];
  /** The longest any one request took. */
  readonly longestMs: number;
}

/**
 * `clients` clients, each sending a streamed turn and, on anything but a completed 200, sending
 * again at once (hints ignored), until its first success or the deadline. A request that takes
 * longer than `requestTimeoutMs` aborts the storm: that is a hang.
 */
export async function retryStorm(baseUrl: string, options: { clients: number; deadlineMs: number; requestTimeoutMs: number }): Promise<StormResult> {
  const started = Date.now();
  const dispatcher = new Agent({ connections: options.clients });
  let sent = 0;
  let longestMs = 0;
  const client = async (): Promise<number | null> => {
    while (Date.now() - started < options.deadlineMs) {
      sent += 1;
      const requestStarted = Date.now();
      const response = await request(`${baseUrl}/responses`, {
        method: 'POST',
        dispatcher,
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: 'Bearer sk-storm' },
        body: JSON.stringify({ model: 'gpt-test', stream: true, input: 'say hi' }),
        signal: AbortSignal.timeout(options.requestTimeoutMs),
      });
      const text = await response.body.text();
      longestMs = Math.max(longestMs, Date.now() - requestStarted);
      if (response.statusCode === 200 && text.includes('"type":"response.completed"')) return Date.now() - started;
    }
    return null;
  };
  try {
    const firstSuccessAt = await Promise.all(Array.from({ length: options.clients }, client));
    return { sent, firstSuccessAt, longestMs };
  } finally {
    await dispatcher.close();
  }
}
