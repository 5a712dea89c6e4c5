/**
 * What every integration test needs: call the real Worker (inside workerd) with its own env,
 * drive the shared simulator through its /__sim/ API, and read the Worker's log lines.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { inject, vi } from 'vitest';
import type { ChatReply } from '../../simulator/chat-script';
import type { Fault } from '../../simulator/faults';
import type { SimulatorOptions } from '../../simulator/options';
import worker from '../../src/index';

export const GATEWAY = 'http://gateway.test';

export interface SimRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  socketId: number;
  faultApplied: string;
}

/** Short timings so failure paths run in milliseconds. */
export const FAST: Partial<Cloudflare.Env> = {
  RETRY_BACKOFF_BASE_MS: '10',
  RETRY_BACKOFF_MAX_MS: '50',
  UPSTREAM_HEADERS_TIMEOUT_MS: '500',
  HEARTBEAT_INTERVAL_MS: '100',
  STREAM_IDLE_TIMEOUT_MS: '600',
  BREAKER_OPEN_MS: '200',
  BREAKER_MAX_OPEN_MS: '800',
};

/**
 * Each call's env is a fresh object, so each call is a fresh "isolate" for provider health (it
 * hangs off the parsed settings); the shared health object is left out unless a test passes it,
 * so that one test's failures never open another's breaker.
 */
export function gatewayEnv(overrides: Partial<Cloudflare.Env> = {}): Cloudflare.Env {
  return { ...env, UPSTREAM_BASE_URL: inject('upstreamBaseUrl'), PROVIDER_HEALTH: undefined, ...FAST, ...overrides };
}

/**
 * Calls the Worker the way the runtime does, and waits for its background work. A streamed
 * answer's background work (its log line) ends with its body, which the caller reads: for an
 * event stream, and with `relayed` for a raw body larger than the streams between upstream and
 * client hold unread, the call returns at once.
 */
export async function callGateway(request: Request, overrides: Partial<Cloudflare.Env> = {}, relayed = false): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, gatewayEnv(overrides), ctx);
  const settled = waitOnExecutionContext(ctx);
  if (relayed || response.headers.get('content-type')?.startsWith('text/event-stream') === true) settled.catch(() => undefined);
  else await settled;
  return response;
}

/** A body's text, decoded from its bytes: workerd warns on every text() of a body whose type it does not take for text (application/toml). */
export async function bodyText(response: Response): Promise<string> {
  return new TextDecoder().decode(await response.arrayBuffer());
}

export function post(path: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`${GATEWAY}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client-key', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export const CODEX_HEADERS = { originator: 'codex_exec', 'user-agent': 'codex_exec/0.169.0 (Linux; x86_64)' };

async function control(origin: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${origin}/__sim/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`simulator control ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** The control API of the simulator at origin() (http://127.0.0.1:PORT). */
export function simulatorAt(origin: () => string) {
  return {
    /** Clears faults, recorded requests and stats, and restores default options. */
    async reset(): Promise<void> {
      await control(origin(), 'POST', 'reset');
      await control(origin(), 'POST', 'options', {
        idleCutoffMs: null,
        idleMode: null,
        deltaCount: null,
        deltaSize: null,
        eventDelayMs: null,
        streamWriteBytes: null,
        outage: null,
        flapping: null,
        chatStrict: null,
        chatRejectFields: null,
      });
    },
    faults: (...faults: Fault[]) => control(origin(), 'POST', 'faults', faults),
    /** Scripted chat answers (simulator/chat-script.ts), one per /v1/chat/completions answer. */
    replies: (...replies: ChatReply[]) => control(origin(), 'POST', 'replies', replies),
    options: (patch: SimulatorOptions) => control(origin(), 'POST', 'options', patch),
    requests: async (): Promise<SimRequest[]> => (await control(origin(), 'GET', 'requests')) as SimRequest[],
  };
}

/** The shared simulator, UPSTREAM_BASE_URL of every test. */
export const sim = simulatorAt(() => inject('upstreamUrl'));

/**
 * The Worker's JSON log lines written while `run` ran; with `atLeast`, also those written after
 * it, until there are that many (a stream's line is written when its body ends) or 2 s passed.
 */
export async function captureLogs<T>(run: () => Promise<T>, atLeast = 0): Promise<{ result: T; lines: Record<string, unknown>[] }> {
  const spy = vi.spyOn(console, 'log');
  try {
    const result = await run();
    for (let waited = 0; spy.mock.calls.length < atLeast && waited < 2000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    const lines = spy.mock.calls.map((args) => JSON.parse(String(args[0])) as Record<string, unknown>);
    return { result, lines };
  } finally {
    spy.mockRestore();
  }
}

export interface ErrorDoc {
  error: { message: string; type: string; code: string | null; param: string | null };
}

export async function errorOf(response: Response): Promise<ErrorDoc['error']> {
  const doc = await response.json<ErrorDoc>();
  return doc.error;
}

/** Each SSE event's `data` in a body's text, parsed as JSON (non-JSON data, like `[DONE]`, as a string). */
export function sseData(text: string): unknown[] {
  return text
    .split('\n\n')
    .map((block) =>
      block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
        .join('\n'),
    )
    .filter((data) => data !== '')
    .map((data) => {
      try {
        return JSON.parse(data) as unknown;
      } catch {
        return data;
      }
    });
}

/** Reads an SSE body and returns each event's parsed `data` JSON (non-JSON data as a string). */
export async function sseEvents(response: Response): Promise<unknown[]> {
  return sseData(await response.text());
}

export function typesOf(events: unknown[]): string[] {
  return events.map((event) => (typeof event === 'object' && event !== null && 'type' in event ? String(event.type) : String(event)));
}
