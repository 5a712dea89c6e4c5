/**
 * The bench's WebSocket session: one Codex-like session of 20 tool-loop turns (the recorded Codex
 * request, then each turn adds the answer's items and a 4 KB tool output), once over HTTP (every
 * turn POSTs the whole conversation) and once over one WebSocket (each turn after the first
 * sends `previous_response_id` and only its new items; the gateway expands it), through the same
 * built gateway to the simulator. Then idle sessions held open: workerd's memory per session and
 * its CPU while they idle (what an idle session costs). Returns the table to print.
 */
import { readFileSync } from 'node:fs';
import { WebSocket } from 'undici';
import { startSimulator } from '../../simulator/server';
import { ms, percentile, processCpuMs, processMemory } from '../lib/stats';
import { formatTable, size } from './report';
import { startGatewayRuntime, type Runtime } from './runtimes';

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

/** One open WebSocket session: `turn` sends a frame and resolves with the turn's last event. */
async function openSocket(baseUrl: string): Promise<{ turn: (frame: string) => Promise<Item>; close: () => void }> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/responses`, { headers: { authorization: 'Bearer sk-bench' } });
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve);
    socket.addEventListener('error', reject);
  });
  let pending: ((item: Item) => void) | null = null;
  socket.addEventListener('message', (event) => pending?.(JSON.parse(String(event.data)) as Item));
  return {
    turn: (frame) =>
      new Promise<Item>((resolve) => {
        pending = (item) => {
          if (['response.completed', 'response.failed', 'error'].includes(String(item['type']))) resolve(item);
        };
        socket.send(frame);
      }),
    close: () => {
      socket.close();
    },
  };
}

const createFrame = (input: readonly Item[], previous: string | null): string =>
  JSON.stringify({ ...CODEX_REQUEST, type: 'response.create', input, ...(previous === null ? {} : { previous_response_id: previous }) });

async function overWebSocket(baseUrl: string): Promise<Session> {
  const socket = await openSocket(baseUrl);
  let uploaded = 0;
  let previous: string | null = null;
  let fresh = CODEX_REQUEST['input'] as Item[];
  const turnMs: number[] = [];
  try {
    for (let turn = 0; turn < TURNS; turn += 1) {
      const frame = createFrame(fresh, previous);
      uploaded += Buffer.byteLength(frame);
      const started = performance.now();
      const last = await socket.turn(frame);
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

/** Idle sessions: each one turn in (its conversation kept), then held open and silent. */
interface Idle {
  readonly sessions: number;
  readonly holdMs: number;
  /** workerd's resident memory added per open session. */
  readonly mibPerSession: number | null;
  /** workerd CPU spent while every session sat idle. */
  readonly cpuMs: number | null;
}

async function idleSessions(runtime: Runtime, sessions: number, holdMs: number): Promise<Idle> {
  const pid = runtime.pid;
  const before = pid === null ? null : (processMemory(pid)?.rssMiB ?? null);
  const sockets = await Promise.all(Array.from({ length: sessions }, () => openSocket(runtime.baseUrl)));
  try {
    for (const socket of sockets) await socket.turn(createFrame(CODEX_REQUEST['input'] as Item[], null));
    const cpuBefore = pid === null ? null : processCpuMs(pid);
    await new Promise((resolve) => setTimeout(resolve, holdMs));
    const cpuAfter = pid === null ? null : processCpuMs(pid);
    const after = pid === null ? null : (processMemory(pid)?.rssMiB ?? null);
    return {
      sessions,
      holdMs,
      mibPerSession: before === null || after === null ? null : (after - before) / sessions,
      cpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
    };
  } finally {
    for (const socket of sockets) socket.close();
  }
}

function row(transport: string, session: Session): string[] {
  const sorted = [...session.turnMs].sort((a, b) => a - b);
  const total = session.turnMs.reduce((sum, value) => sum + value, 0);
  return [transport, size(session.uploaded), ms(percentile(sorted, 50)), ms(percentile(sorted, 99)), ms(total)];
}

/** Idle sessions held open for the memory and idle-CPU figures. */
const IDLE_SESSIONS = 100;
const IDLE_HOLD_MS = 10_000;

export async function websocketSessionTable(): Promise<string[]> {
  const sim = await startSimulator();
  try {
    const gateway = await startGatewayRuntime({ UPSTREAM_BASE_URL: sim.baseUrl });
    try {
      // Warm-up: each transport's first session runs on a cold isolate.
      await overHttp(gateway.baseUrl);
      await overWebSocket(gateway.baseUrl);
      const http = await overHttp(gateway.baseUrl);
      const websocket = await overWebSocket(gateway.baseUrl);
      const idle = await idleSessions(gateway, IDLE_SESSIONS, IDLE_HOLD_MS);
      const mib = idle.mibPerSession === null ? 'n/a' : `${idle.mibPerSession.toFixed(2)} MiB`;
      const cpu = idle.cpuMs === null ? 'n/a' : `${idle.cpuMs.toFixed(0)} ms`;
      return [
        `WebSocket session: ${TURNS} tool-loop turns of a Codex-like session (the recorded 47 KB request, then +4 KB of tool output a turn),`,
        'over HTTP (every turn uploads the whole conversation) and over one WebSocket (previous_response_id and the new items)',
        ...formatTable(['transport', 'uploaded', 'turn p50', 'turn p99', 'session'], [row('http', http), row('websocket', websocket)], 1),
        `${idle.sessions} idle WebSocket sessions (one 47 KB turn each, kept for previous_response_id): workerd resident memory ${mib} a session;`,
        `workerd CPU over ${idle.holdMs / 1000} s of idling: ${cpu} in all (Workers Standard bills CPU time and requests, not wall-clock time)`,
      ];
    } finally {
      await gateway.close();
    }
  } finally {
    await sim.close();
  }
}
