/**
 * The bench's WebSocket session: one Codex-like session of 20 tool-loop turns (the recorded Codex
 * request, then each turn adds the answer's items and a 4 KB tool output), once over HTTP (every
 * turn POSTs the whole conversation) and once over one WebSocket (each turn after the first
 * sends `previous_response_id` and only its new items; the gateway expands it), through the same
 * built gateway to the simulator. Returns the table: bytes the client uploaded and time per turn.
 */
import { readFileSync } from 'node:fs';
import { WebSocket } from 'undici';
import { startSimulator } from '../../simulator/server';
import { startGateway } from '../lib/gateway';
import { ms, percentile } from '../lib/stats';
import { formatTable, size } from './report';

const TURNS = 20;
const TOOL_OUTPUT = 'x'.repeat(4 * 1024);
const CODEX_REQUEST = JSON.parse(readFileSync(new URL('../../test/fixtures/codex/request-0.171.0.json', import.meta.url), 'utf8')) as Record<string, unknown>;

type Item = Record<string, unknown>;

interface Session {
  readonly uploaded: number;
  readonly turnMs: readonly number[];
}

/** The items a turn adds after the answer: a tool call's output, as Codex sends it back. */
const toolOutput = (turn: number): Item[] => [{ type: 'function_call_output', call_id: `call_${turn}`, output: TOOL_OUTPUT }];

/** The output items of a turn's events (each event's JSON). */
function outputOf(events: readonly Item[]): Item[] {
  return events.filter((event) => event['type'] === 'response.output_item.done').map((event) => event['item'] as Item);
}

async function overHttp(baseUrl: string): Promise<Session> {
  let input = CODEX_REQUEST['input'] as Item[];
  let uploaded = 0;
  const turnMs: number[] = [];
  for (let turn = 0; turn < TURNS; turn += 1) {
    const body = JSON.stringify({ ...CODEX_REQUEST, input, stream: true });
    uploaded += Buffer.byteLength(body);
    const started = performance.now();
    const response = await fetch(`${baseUrl}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
      body,
    });
    const text = await response.text();
    turnMs.push(performance.now() - started);
    const events = text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)) as Item);
    input = [...input, ...outputOf(events), ...toolOutput(turn)];
  }
  return { uploaded, turnMs };
}

async function overWebSocket(baseUrl: string): Promise<Session> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/responses`, { headers: { authorization: 'Bearer sk-bench' } });
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve);
    socket.addEventListener('error', reject);
  });
  let pending: ((item: Item) => void) | null = null;
  socket.addEventListener('message', (event) => pending?.(JSON.parse(String(event.data)) as Item));
  let uploaded = 0;
  let previous: string | null = null;
  let fresh = CODEX_REQUEST['input'] as Item[];
  const turnMs: number[] = [];
  try {
    for (let turn = 0; turn < TURNS; turn += 1) {
      const frame = JSON.stringify({
        ...CODEX_REQUEST,
        type: 'response.create',
        input: fresh,
        ...(previous === null ? {} : { previous_response_id: previous }),
      });
      uploaded += Buffer.byteLength(frame);
      const started = performance.now();
      const events: Item[] = [];
      const last = await new Promise<Item>((resolve) => {
        pending = (item) => {
          events.push(item);
          if (['response.completed', 'response.failed', 'error'].includes(String(item['type']))) resolve(item);
        };
        socket.send(frame);
      });
      turnMs.push(performance.now() - started);
      if (last['type'] !== 'response.completed') throw new Error(`turn ${turn} ended with ${JSON.stringify(last)}`);
      previous = String((last['response'] as Item)['id']);
      fresh = toolOutput(turn);
    }
  } finally {
    socket.close();
  }
  return { uploaded, turnMs };
}

function row(transport: string, session: Session): string[] {
  const sorted = [...session.turnMs].sort((a, b) => a - b);
  const total = session.turnMs.reduce((sum, value) => sum + value, 0);
  return [transport, size(session.uploaded), ms(percentile(sorted, 50)), ms(percentile(sorted, 99)), ms(total)];
}

export async function websocketSessionTable(): Promise<string[]> {
  const sim = await startSimulator();
  try {
    const gateway = await startGateway({ UPSTREAM_BASE_URL: sim.baseUrl });
    try {
      // Warm-up: each transport's first session runs on a cold isolate.
      await overHttp(gateway.baseUrl);
      await overWebSocket(gateway.baseUrl);
      const http = await overHttp(gateway.baseUrl);
      const websocket = await overWebSocket(gateway.baseUrl);
      return [
        `WebSocket session: ${TURNS} tool-loop turns of a Codex-like session (the recorded 47 KB request, then +4 KB of tool output a turn),`,
        'over HTTP (every turn uploads the whole conversation) and over one WebSocket (previous_response_id and the new items)',
        ...formatTable(['transport', 'uploaded', 'turn p50', 'turn p99', 'session'], [row('http', http), row('websocket', websocket)], 1),
      ];
    } finally {
      await gateway.close();
    }
  } finally {
    await sim.close();
  }
}
