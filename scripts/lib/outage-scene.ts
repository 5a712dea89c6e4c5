/**
 * The demo's outage scene: the provider goes down for a while (the simulator's outage mode, every
 * request answered 503, then healthy) and a few agents each start a turn as it begins, retrying
 * as Codex does by default (codex-like-client.ts). The same agents run directly against the
 * provider and through the gateway at the same time, through the same outage; the provider tells
 * their requests apart by their API key.
 */
import { Agent, request } from 'undici';
import type { Simulator } from '../../simulator/server';
import { codexLikeTurn, readAnswer, type TurnAnswer } from './codex-like-client';

export interface OutageSceneOptions {
  readonly agents: number;
  readonly outageMs: number;
}

export interface OutageRow {
  readonly name: string;
  readonly turns: number;
  readonly completed: number;
  /** Requests the agents sent. */
  readonly clientRequests: number;
  /** Requests the provider received from this path, and how many of them while it was down. */
  readonly upstream: number;
  readonly upstreamWhileDown: number;
  /** When the last turn ended (completed or given up), from the start of the outage. */
  readonly lastDoneMs: number;
}

/** Headers Codex sends (FIELD-NOTES §1), so that the gateway answers these agents as it answers Codex. */
const CODEX_HEADERS = { originator: 'codex_exec', 'user-agent': 'codex_exec/0.169.0 (demo)' };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function send(dispatcher: Agent, baseUrl: string, apiKey: string): Promise<TurnAnswer> {
  try {
    const response = await request(`${baseUrl}/responses`, {
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${apiKey}`, ...CODEX_HEADERS },
      body: JSON.stringify({ model: 'gpt-test', stream: true, input: 'say hi' }),
    });
    const retryAfter = response.headers['retry-after'];
    return readAnswer(response.statusCode, typeof retryAfter === 'string' ? retryAfter : null, await response.body.text());
  } catch (err) {
    return { kind: 'transient', retryAfterMs: null, what: err instanceof Error ? err.message : String(err) };
  }
}

async function agents(
  name: string,
  baseUrl: string,
  apiKey: string,
  count: number,
  started: number,
): Promise<Omit<OutageRow, 'upstream' | 'upstreamWhileDown'>> {
  const dispatcher = new Agent();
  try {
    const turns = await Promise.all(
      Array.from({ length: count }, async () => {
        const outcome = await codexLikeTurn(() => send(dispatcher, baseUrl, apiKey), sleep);
        return { ...outcome, doneMs: performance.now() - started };
      }),
    );
    return {
      name,
      turns: count,
      completed: turns.filter((turn) => turn.completed).length,
      clientRequests: turns.reduce((sum, turn) => sum + turn.requests, 0),
      lastDoneMs: Math.max(...turns.map((turn) => turn.doneMs)),
    };
  } finally {
    await dispatcher.close();
  }
}

/** Runs the scene; `gatewayBaseUrl` is the gateway's /v1 base, pointed at `sim`. */
export async function runOutageScene(sim: Simulator, gatewayBaseUrl: string, options: OutageSceneOptions): Promise<readonly [OutageRow, OutageRow]> {
  const seen = sim.requests.length;
  const started = performance.now();
  sim.setOptions({ outage: { ms: options.outageMs } });
  const paths = [
    { name: 'direct to the provider', baseUrl: sim.baseUrl, apiKey: 'sk-demo-direct' },
    { name: 'through codex-edge', baseUrl: gatewayBaseUrl, apiKey: 'sk-demo-gateway' },
  ] as const;
  const [direct, through] = await Promise.all(paths.map((path) => agents(path.name, path.baseUrl, path.apiKey, options.agents, started)));
  const received = sim.requests.slice(seen);
  const upstream = (apiKey: string, row: Omit<OutageRow, 'upstream' | 'upstreamWhileDown'>): OutageRow => {
    const mine = received.filter((entry) => entry.headers['authorization'] === `Bearer ${apiKey}`);
    return { ...row, upstream: mine.length, upstreamWhileDown: mine.filter((entry) => entry.faultApplied === 'outage').length };
  };
  if (direct === undefined || through === undefined) throw new Error('both paths run');
  return [upstream(paths[0].apiKey, direct), upstream(paths[1].apiKey, through)];
}
