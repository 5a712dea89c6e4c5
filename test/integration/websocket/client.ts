/**
 * A WebSocket client of the Worker inside workerd: the handshake through the Worker's fetch
 * (as the runtime calls it), then frames in and frames out. `turn` sends one frame and collects
 * the frames up to the turn's last one (`response.completed`, `response.failed`, `error`);
 * `closed` settles with the gateway's close code and reason.
 */
import { createExecutionContext } from 'cloudflare:test';
import worker from '../../../src/index';
import { CODEX_HEADERS, GATEWAY, gatewayEnv } from '../support';

export type Frame = Record<string, unknown>;

const LAST = new Set(['response.completed', 'response.failed', 'response.incomplete', 'error']);

export interface Socket {
  readonly response: Response;
  /** Sends one frame (an object is sent as its JSON). */
  send(frame: unknown): void;
  /** Sends a frame and returns the frames of its answer, heartbeats left out unless asked for. */
  turn(frame: unknown, options?: { heartbeats?: boolean }): Promise<Frame[]>;
  /** The next frame that arrives. */
  next(): Promise<Frame>;
  /** Settles when the socket closes, with the close frame's code and reason. */
  readonly closed: Promise<{ readonly code: number; readonly reason: string }>;
  close(): void;
}

export const HANDSHAKE_HEADERS = { upgrade: 'websocket', connection: 'Upgrade', 'openai-beta': 'responses_websockets=2026-02-06', ...CODEX_HEADERS };

/** Opens the socket; the handshake's answer is `response` (101 with `webSocket`, or an HTTP error). */
export async function connect(overrides: Partial<Cloudflare.Env> = {}, headers: Record<string, string> = {}): Promise<Socket> {
  const request = new Request(`${GATEWAY}/v1/responses`, { headers: { authorization: 'Bearer sk-client-key', ...HANDSHAKE_HEADERS, ...headers } });
  const response = await worker.fetch(request, gatewayEnv(overrides), createExecutionContext());
  const ws = response.webSocket;
  const inbox: Frame[] = [];
  let waiting: ((frame: Frame) => void) | null = null;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws?.addEventListener('close', (event) => {
      resolve({ code: event.code, reason: event.reason });
    });
  });
  if (ws !== null) {
    ws.accept();
    ws.addEventListener('message', (event) => {
      const frame = JSON.parse(String(event.data)) as Frame;
      if (waiting !== null) {
        const deliver = waiting;
        waiting = null;
        deliver(frame);
      } else inbox.push(frame);
    });
  }
  const next = (): Promise<Frame> => {
    const frame = inbox.shift();
    return frame !== undefined ? Promise.resolve(frame) : new Promise((resolve) => (waiting = resolve));
  };
  const send = (frame: unknown): void => {
    if (ws === null) throw new Error(`no socket: the handshake got ${response.status}`);
    ws.send(typeof frame === 'string' || frame instanceof ArrayBuffer ? frame : JSON.stringify(frame));
  };
  return {
    response,
    send,
    next,
    closed,
    async turn(frame, options = {}) {
      send(frame);
      const frames: Frame[] = [];
      for (;;) {
        const got = await next();
        if (got['type'] !== 'codex_edge.heartbeat' || options.heartbeats === true) frames.push(got);
        if (LAST.has(String(got['type']))) return frames;
      }
    },
    close: () => {
      ws?.close(1000, 'done');
    },
  };
}

export const typesOf = (frames: readonly Frame[]): string[] => frames.map((frame) => String(frame['type']));

export const doneItems = (frames: readonly Frame[]): Frame[] =>
  frames.filter((frame) => frame['type'] === 'response.output_item.done').map((frame) => frame['item'] as Frame);

export const completedId = (frames: readonly Frame[]): string => String((frames.at(-1)?.['response'] as Frame | undefined)?.['id']);
