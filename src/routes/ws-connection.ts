/**
 * One WebSocket connection of the Responses API, held by the Worker invocation that accepted it.
 * Each `response.create` text frame is one turn, run like a POST /v1/responses (routes/call.ts:
 * admission, attempt loop, retries, provider health) with the handshake's identity headers, its
 * input expanded from the connection's memory (providers/responses-session.ts); the upstream's
 * events go back one per frame (stream/ws-writer.ts). One turn at a time: a frame that arrives
 * while a turn runs gets an error frame, as does every frame that cannot be read; the socket
 * stays open for the next. Each turn first resolves the handshake's credentials again, as an
 * HTTP request does (http/auth.ts, through the key cache): a turn whose key was revoked or has
 * expired, or whose team was disabled, since the handshake gets the error an HTTP request would,
 * then the socket is closed (CLOSE.policy); a changed route or provider key applies from the
 * next turn. Closing the socket cancels the turn in flight. Each turn writes its own log line;
 * the handshake's line (the connection's) is written at close.
 */
import type { Settings } from '../config/settings';
import { conflict, GatewayError, internalError, invalidRequest, upstreamFault } from '../core/errors';
import type { JsonObject } from '../core/json';
import type { ClientProfile } from '../http/client-profile';
import { clientResponseHeaders } from '../http/headers';
import { HEARTBEAT_FRAME } from '../http/heartbeat';
import { failureFields, RequestTrace } from '../http/log';
import { PREWARM_END } from '../http/request-record';
import { recordRequest } from '../http/request-store';
import { newRequestId } from '../http/middleware';
import { errorFrame, noteError } from '../http/respond';
import type { JsonRequest } from '../providers/client-call';
import { createBody, isProcessedAck, prewarmEvents, readCreateFrame, SessionMemory, TurnRecord, type CreateFrame } from '../providers/responses-session';
import { isolateBudget } from '../providers/session-budget';
import { writeFrames } from '../stream/ws-writer';
import type { Tenant } from '../tenancy/tenant';
import type { Background } from '../tenancy/ticket';
import { runCall } from './call';

/** What the invocation that accepted the socket hands its connection. */
export interface Connection {
  readonly settings: Settings;
  /** The handshake's team (null: single upstream), for the turns' log lines. */
  readonly teamId: string | null;
  /** The handshake's credentials resolved again, for one turn (http/auth.ts); throws the 401/403 of credentials no longer valid. */
  readonly authenticate: (trace: RequestTrace) => Promise<Tenant>;
  readonly profile: ClientProfile;
  /** The connection's own log line (the handshake's), finished at close. */
  readonly trace: RequestTrace;
  /** The upstream headers of every turn: the handshake's, as a POST would carry them. */
  readonly headers: Headers;
  readonly background: Background;
}

/**
 * Frames in a row that were no turn (binary, unreadable, not a `response.create`, or sent during a
 * turn) after which the socket is closed (CLOSE.policy): each costs a log line and a stored row,
 * and a 1-byte frame costs its sender nothing; Codex sends none of them.
 */
export const MAX_REFUSED_FRAMES = 16;

/** Close codes the gateway uses (RFC 6455 §7.4.1). */
export const CLOSE = {
  /** The client closed: the gateway answers with its code, or 1000. */
  normal: 1000,
  /**
   * The handshake's credentials were refused at a turn (a key revoked or expired, a team
   * disabled): 1008, policy violation, the generic code for a refusal no other code fits. Not
   * 1011, which a client takes for a fault worth reconnecting over, nor 1000, a normal end: the
   * reason is in the error frame sent just before (the one shape, as HTTP answers it), and a
   * client that reconnects gets the same 401/403 at the handshake.
   */
  policy: 1008,
  /** The gateway failed in a way the connection cannot survive. */
  internal: 1011,
} as const;

/**
 * The headers an HTTP answer would have carried (the upstream's allowed ones: `x-codex-turn-state`,
 * `openai-model`, rate limits; the gateway's own), as the `response.metadata` frame newer Codex
 * versions read them from; older ones ignore it.
 */
function metadataFrame(upstream: Headers, extra: Readonly<Record<string, string>>, trace: RequestTrace): string {
  const headers = clientResponseHeaders(upstream, trace.redactor);
  delete headers['content-type'];
  delete headers['cache-control'];
  return JSON.stringify({ type: 'response.metadata', headers: { ...headers, ...extra, 'x-edge-request-id': trace.requestId } });
}

export function serveConnection(socket: WebSocket, connection: Connection): void {
  const { settings, trace: connectionTrace } = connection;
  const memory = new SessionMemory(settings.websocket.sessionBytes, isolateBudget(settings.websocket.sessionsBytes));
  const closed = new AbortController();
  let running = false;
  let turns = 0;
  /** Frames in a row that were no turn. */
  let refusedFrames = 0;
  const send = (text: string): void => {
    if (closed.signal.aborted) return;
    try {
      socket.send(text);
    } catch {
      // The socket is closing: its close event ends the connection.
    }
  };

  /** A turn's own log line: the connection's secrets, its id and the turn number. */
  const turnTrace = (turn: number): RequestTrace => {
    const trace = new RequestTrace(newRequestId(), 'POST', '/v1/responses', connection.profile);
    trace.protect(connectionTrace.redactor);
    trace.set({ transport: 'websocket', connection: connectionTrace.requestId, turn, team: connection.teamId });
    recordRequest(settings.requests, trace);
    connection.background(trace.written);
    return trace;
  };

  const refuse = (trace: RequestTrace, err: GatewayError): void => {
    noteError(trace, err);
    const frame = errorFrame(err, { profile: connection.profile, responsesStream: true }, trace.redactor, `resp_${trace.requestId}`);
    send(frame.text);
    trace.finish({ status: frame.status, bytes_out: frame.text.length });
  };

  const close = (code: number, reason: string): void => {
    if (closed.signal.aborted) return;
    closed.abort();
    memory.close();
    connectionTrace.finish({ turn: turns });
    try {
      socket.close(code, reason);
    } catch {
      // already closed
    }
  };

  /** A frame that is no turn: refused, and past MAX_REFUSED_FRAMES in a row the socket is closed. */
  const refuseFrame = (trace: RequestTrace, err: GatewayError): void => {
    refuse(trace, err);
    refusedFrames += 1;
    if (refusedFrames > MAX_REFUSED_FRAMES) close(CLOSE.policy, `codex-edge: more than ${MAX_REFUSED_FRAMES} frames in a row were not turns`);
  };

  /** The turn's tenant, or null when the handshake's credentials are refused now: the turn gets the error, and a 401/403 closes the socket. */
  const authenticated = async (trace: RequestTrace): Promise<Tenant | null> => {
    try {
      return await connection.authenticate(trace);
    } catch (err) {
      const error = err instanceof GatewayError ? err : internalError(err);
      refuse(trace, error);
      // A registry that did not answer (503) fails this turn alone.
      if (error.status === 401 || error.status === 403) close(CLOSE.policy, 'codex-edge: the credentials of this connection are no longer valid');
      return null;
    }
  };

  const turn = async (text: string, trace: RequestTrace): Promise<void> => {
    const tenant = await authenticated(trace);
    if (tenant === null) return;
    let frame: CreateFrame;
    let input: readonly unknown[];
    let document: JsonObject;
    try {
      // A frame refused here (unreadable, an input of the wrong type, a previous response not kept) asks the upstream nothing: no turn.
      frame = readCreateFrame(text, settings.maxBodyBytes);
      input = memory.fullInput(frame);
      document = createBody(frame, input);
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
      refuseFrame(trace, err);
      return;
    }
    refusedFrames = 0;
    const body = new TextEncoder().encode(JSON.stringify(document));
    trace.set({ bytes_in: text.length, model: frame.model, stream: true });
    if (!frame.generate) {
      const id = `resp_${trace.requestId}`;
      const events = prewarmEvents(id, frame.model);
      for (const event of events) send(event);
      memory.remember(id, input, []);
      trace.finish({ status: 200, stream_end: PREWARM_END, bytes_out: events.join('').length });
      return;
    }
    const json: JsonRequest = { model: frame.model, stream: true, document };
    const call = { wire: 'responses', method: 'POST', apiPath: '/responses', search: '', body, json } as const;
    const result = await runCall({ settings, tenant, trace, background: connection.background, headers: connection.headers, signal: closed.signal }, call);
    switch (result.kind) {
      case 'cancelled':
        trace.finish({ status: 499 });
        return;
      case 'error':
        refuse(trace, result.error);
        return;
      case 'answer': {
        const { answer } = result;
        if (answer.kind !== 'events' && answer.kind !== 'sse') {
          if (answer.kind === 'raw') answer.stream?.cancel().catch(() => undefined);
          result.end({ failed: true, usage: null });
          refuse(trace, upstreamFault('upstream_not_streaming', 'codex-edge: the upstream answered the turn without an event stream'));
          return;
        }
        trace.firstByte(result.upstream.status);
        send(metadataFrame(result.upstream.headers, result.headers, trace));
        const record = new TurnRecord(settings.websocket.sessionBytes);
        // Frames carry events anew: an unchanged stream is read as events, not bytes.
        const summary = await writeFrames(answer.kind === 'sse' ? answer.events() : answer.source, {
          send,
          heartbeat: HEARTBEAT_FRAME,
          signal: closed.signal,
          onEvent: (event) => record.observe(event),
        });
        result.end({ failed: summary.failed, usage: summary.usage });
        if (record.completedId !== null) memory.remember(record.completedId, input, record.output);
        trace.finish({ stream_end: summary.end, bytes_out: summary.bytes, usage: summary.usage, ...failureFields(summary.failure) });
      }
    }
  };

  socket.addEventListener('message', (event: MessageEvent) => {
    // Frames already on their way when the gateway closed the socket are no turns: no answer, no line.
    if (closed.signal.aborted) return;
    if (typeof event.data === 'string' && isProcessedAck(event.data)) return;
    turns += 1;
    const trace = turnTrace(turns);
    if (typeof event.data !== 'string') {
      refuseFrame(trace, invalidRequest(400, 'codex-edge: frames must be text (JSON); binary frames are not accepted', 'invalid_frame'));
      return;
    }
    if (running) {
      refuseFrame(
        trace,
        conflict('a response is already in progress on this connection; send the next response.create after its last event', 'response_in_progress'),
      );
      return;
    }
    running = true;
    turn(event.data, trace)
      .catch((err: unknown) => {
        refuse(trace, err instanceof GatewayError ? err : internalError(err));
      })
      .finally(() => {
        running = false;
      });
  });

  socket.addEventListener('close', (event: CloseEvent) => {
    close(event.code === 1005 || event.code === 1006 ? CLOSE.normal : event.code, 'closed by the client');
  });
  socket.addEventListener('error', () => {
    close(CLOSE.internal, 'socket error');
  });
}
