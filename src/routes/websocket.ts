/**
 * `GET /v1/responses`. A WebSocket handshake, already authenticated like a POST (gateway keys,
 * team keys, or the client's own key, refused with 401/403 in the one error shape), is accepted
 * (101) and served for the life of the socket by this invocation (routes/ws-connection.ts),
 * whose every turn authenticates the handshake's headers again;
 * where the transport is switched off (WEBSOCKET_TRANSPORT=off) it gets 426, the one answer on
 * which Codex falls back to HTTP at once. A plain GET gets 405 with `Allow: POST`.
 */
import type { Handler } from 'hono';
import type { AppEnv } from '../http/context';
import { authenticate } from '../http/auth';
import { background } from '../http/background';
import { methodNotAllowed, websocketNotSupported } from '../core/errors';
import { serveConnection } from './ws-connection';

/** The beta token of the WebSocket mode: the handshake's, not the upstream's (a turn is a plain HTTP request). */
const WEBSOCKET_BETA = /^responses_websockets=/;

/** A turn's upstream headers: the handshake's, less the WebSocket beta token, as a streaming POST sends them. */
function turnHeaders(handshake: Headers): Headers {
  const headers = new Headers(handshake);
  const beta = (headers.get('openai-beta') ?? '')
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token !== '' && !WEBSOCKET_BETA.test(token));
  if (beta.length > 0) headers.set('openai-beta', beta.join(', '));
  else headers.delete('openai-beta');
  headers.set('content-type', 'application/json');
  headers.set('accept', 'text/event-stream');
  return headers;
}

export const responsesGet: Handler<AppEnv> = (c) => {
  if (!/\bwebsocket\b/i.test(c.req.header('upgrade') ?? '')) throw methodNotAllowed('GET', c.req.path, ['POST']);
  const settings = c.get('settings');
  const tenant = c.get('tenant');
  const trace = c.get('trace');
  const profile = c.get('profile');
  if (!settings.websocket.enabled) throw websocketNotSupported();
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  trace.set({ transport: 'websocket', connection: trace.requestId, team: tenant.teamId });
  trace.firstByte(101);
  trace.defer();
  const handshake = c.req.raw.headers;
  const work = background(c);
  serveConnection(server, {
    settings,
    teamId: tenant.teamId,
    authenticate: async (turn) => (await authenticate(handshake, { settings, trace: turn, background: work })).tenant,
    profile,
    trace,
    headers: turnHeaders(handshake),
    background: work,
  });
  return new Response(null, { status: 101, webSocket: client, headers: { 'x-codex-websocket-max-message-bytes': String(settings.maxBodyBytes) } });
};
