/**
 * The flaky provider simulator: a node:http server on 127.0.0.1 that speaks enough
 * of the OpenAI API (see routes.ts) and misbehaves like real providers do: queued
 * faults (faults.ts, applied by answer.ts) and the idle keep-alive cutoff (idle.ts).
 * Control API under /__sim/ (control.ts). `close()` destroys every socket and
 * resolves at once, even with hung or stalled requests.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answer } from './answer';
import { parseChatReply, type ChatReply } from './chat-script';
import { CONTROL_PREFIX, controlReply } from './control';
import { errorForStatus, openAIError, unknownUrl } from './errors';
import { FAULT_KINDS, FaultQueue, type Fault, type FaultKind } from './faults';
import { isHostileFault } from './hostile-faults';
import { answerHostile, prepareFault } from './hostile';
import { ConnectionTracker } from './idle';
import { describeDown, describeFault, describeStale, outcome, requestLabel, type SimulatorLog } from './log';
import { DEFAULT_SETTINGS, resolveOptions, type SimulatorOptions } from './options';
import { downAt, type Down } from './outage';
import { jsonReply, writeReply, type Reply, type WritePlan } from './reply';
import { isApiPath, normalReply, requestedModel } from './routes';
import { randomId } from './text';

export type { Fault, FaultKind } from './faults';
export type { ChatReply } from './chat-script';
export type { IdleMode, SimulatorOptions } from './options';
export type { FlappingOption, OutageOption } from './outage';
export type { SimulatorLog } from './log';

export interface SimulatorHooks {
  /** Called with one line per request and per injected fault (default: no log). */
  readonly log?: SimulatorLog;
}

export interface RecordedRequest {
  method: string;
  /** Path and query string as received. */
  path: string;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  body: string;
  /** Which connection carried it (ids are unique for the simulator's lifetime). */
  socketId: number;
  /** The fault it consumed, or 'outage' / 'flapping' when the provider was down (no fault consumed). */
  faultApplied: Fault['kind'] | Down['cause'] | 'none';
}

export interface SimulatorStats {
  /** /v1/* requests recorded (stale hits are not: the provider never saw them). */
  requests: number;
  /** Connections accepted. */
  connections: number;
  /** Idle cutoffs that fired. */
  idleCutoffs: number;
  /** Requests that arrived on a connection after its cutoff ('reset' / 'bad-request'). */
  staleHits: number;
  /** /v1/* requests answered with the outage's status (options.outage). */
  outageAnswers: number;
  /** /v1/* requests answered with the status of a flapping provider's down period (options.flapping). */
  flappingAnswers: number;
  /** Faults applied (consumed by a /v1/* request), per kind; every kind is listed. */
  faultsApplied: Record<FaultKind, number>;
}

export interface Simulator {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + '/v1' */
  baseUrl: string;
  port: number;
  /** Each following /v1/* request consumes one fault, in order; an empty queue = normal answer. Throws on an invalid fault. */
  enqueue(...faults: Fault[]): void;
  /** Each following /v1/chat/completions answer takes one scripted reply (chat-script.ts), in order; empty = the usual text. Throws on an invalid reply. */
  reply(...replies: ChatReply[]): void;
  /** Every /v1/* request received, in order, including ones that got a fault. */
  readonly requests: readonly RecordedRequest[];
  stats(): SimulatorStats;
  /** Clears the queue, the recorded requests and the stats (not the options, not open connections). */
  reset(): void;
  /** Changes behaviour at run time; a key set to undefined restores its default. The port cannot change. */
  setOptions(patch: Partial<SimulatorOptions>): void;
  /** Closes the server and destroys every open socket. */
  close(): Promise<void>;
}

const BAD_REQUEST_HTML = '<html><body><h1>400 Bad Request</h1></body></html>';
/** Node's own keep-alive timeout stays far above the cutoff, so only idleCutoffMs decides. */
const KEEP_ALIVE_FLOOR_MS = 120_000;

export async function startSimulator(options: SimulatorOptions = {}, hooks: SimulatorHooks = {}): Promise<Simulator> {
  const log = hooks.log ?? ((): void => undefined);
  let settings = resolveOptions(DEFAULT_SETTINGS, options);
  const queue = new FaultQueue();
  const replies: ChatReply[] = [];
  const requests: RecordedRequest[] = [];
  const noCounts = () => ({ connections: 0, idleCutoffs: 0, staleHits: 0, outageAnswers: 0, flappingAnswers: 0 });
  const counters = noCounts();
  const noFaults = (): Record<FaultKind, number> => Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  let faultsApplied = noFaults();
  const tracker = new ConnectionTracker(
    () => ({ cutoffMs: settings.idleCutoffMs, mode: settings.idleMode }),
    () => (counters.idleCutoffs += 1),
  );
  // No request/headers timeouts: a 'hang' must hang until the client gives up.
  const server = createServer({ requestTimeout: 0, headersTimeout: 0 });
  const applyKeepAlive = (): void => {
    server.keepAliveTimeout = Math.max(KEEP_ALIVE_FLOOR_MS, (settings.idleCutoffMs ?? 0) + 5_000);
  };
  applyKeepAlive();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;

  const sim: Simulator = {
    url,
    baseUrl: `${url}/v1`,
    port,
    enqueue: (...faults) => queue.push(faults).forEach(prepareFault),
    reply: (...scripted) => {
      replies.push(...scripted.map(parseChatReply));
    },
    requests,
    stats: () => ({ requests: requests.length, ...counters, faultsApplied: { ...faultsApplied } }),
    reset: () => {
      queue.clear();
      replies.length = 0;
      requests.length = 0;
      Object.assign(counters, noCounts());
      faultsApplied = noFaults();
    },
    setOptions: (patch) => {
      if (patch.port !== undefined && patch.port !== port) throw new Error('port cannot be changed at run time');
      settings = resolveOptions(settings, { ...patch, port: settings.port });
      applyKeepAlive();
    },
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        tracker.destroyAll();
        server.closeAllConnections();
      })),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const socket = req.socket;
    const socketId = tracker.idOf(socket);
    const stale = tracker.requestStarted(socket) === 'stale';
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const started = Date.now();
    const label = requestLabel(new Date(started), socketId, method, path);
    res.once('close', () => log(`${label} → ${outcome(res.headersSent, res.statusCode, res.writableFinished)} (${Date.now() - started} ms)`));
    if (stale) {
      log(`${label}: fault ${describeStale(settings.idleMode, settings.idleCutoffMs)}`);
      counters.staleHits += 1;
      if (settings.idleMode !== 'bad-request') {
        socket.resetAndDestroy();
        return;
      }
    }
    const abort = new AbortController();
    res.once('close', () => abort.abort());
    const plan: WritePlan = { eventDelayMs: settings.eventDelayMs, streamWriteBytes: settings.streamWriteBytes, signal: abort.signal };
    const body = await readBody(req);
    if (stale) {
      const html: Reply = { kind: 'fixed', status: 400, headers: { 'content-type': 'text/html', connection: 'close' }, body: BAD_REQUEST_HTML };
      return writeReply(res, html, plan);
    }
    res.setHeader('x-request-id', randomId('req_'));
    res.once('finish', () => tracker.responseFinished(socket));
    const { pathname } = new URL(path, url);
    if (pathname.startsWith(CONTROL_PREFIX)) return writeReply(res, controlReply(sim, method, pathname, body), plan);
    if (!isApiPath(pathname)) return writeReply(res, jsonReply(404, unknownUrl(method, pathname)), plan);
    const down = downAt(settings.outage, settings.flapping, Date.now());
    if (down !== null) {
      // A provider that is down answers every request the same way; queued faults wait for it to come up.
      log(`${label}: ${describeDown(down)}`);
      requests.push({ method, path, headers: flattenHeaders(req), body, socketId, faultApplied: down.cause });
      counters[down.cause === 'outage' ? 'outageAnswers' : 'flappingAnswers'] += 1;
      return writeReply(res, jsonReply(down.status, errorForStatus(down.status, requestedModel(body))), plan);
    }
    const fault = queue.next();
    if (fault !== undefined) log(`${label}: fault ${describeFault(fault)}`);
    requests.push({ method, path, headers: flattenHeaders(req), body, socketId, faultApplied: fault?.kind ?? 'none' });
    if (fault !== undefined) faultsApplied[fault.kind] += 1;
    if (fault !== undefined && isHostileFault(fault)) {
      return answerHostile(res, fault, { pathname, authorization: req.headers.authorization, body, deltaSize: settings.deltaSize }, plan);
    }
    return answer(res, fault, () => normalReply(method, pathname, body, settings, () => replies.shift()), body, plan);
  }

  server.on('connection', (socket) => {
    tracker.add(socket);
    counters.connections += 1;
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => fail(req, res, error));
  });
  return sim;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const entries = Object.entries(req.headers).flatMap(([name, value]) =>
    value === undefined ? [] : [[name, Array.isArray(value) ? value.join(', ') : value] as const],
  );
  return Object.fromEntries(entries);
}

/** A client that went away is not an error; anything else is a simulator bug, answered as a 500. */
function fail(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  if (req.socket.destroyed) return;
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  res.writeHead(500, { 'content-type': 'application/json' });
  res.end(JSON.stringify(openAIError(`simulator error: ${message}`, 'server_error')));
}
