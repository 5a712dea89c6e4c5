/**
 * `GET /v1/responses`. A WebSocket handshake gets 426, the one answer on which Codex falls back
 * to HTTP at once (404, 405 or a reset cost it five retries per session first); a plain GET
 * gets 405 with `Allow: POST`.
 */
import type { Handler } from 'hono';
import type { AppEnv } from '../http/context';
import { methodNotAllowed, websocketNotSupported } from '../core/errors';

export const responsesGet: Handler<AppEnv> = (c) => {
  if (!/\bwebsocket\b/i.test(c.req.header('upgrade') ?? '')) throw methodNotAllowed('GET', c.req.path, ['POST']);
  throw websocketNotSupported();
};
