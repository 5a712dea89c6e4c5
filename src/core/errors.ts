/**
 * The one error type the gateway raises, every factory of it, and the one shape it speaks on
 * the wire: `{"error": {"message", "type", "code", "param"}}`. Nothing else formats an error
 * body. A `cause` (what went wrong inside) is for the server's log, never for the client.
 */

/** What a client should do next; decides the retry headers and, for Codex, the status. */
export type ClientAdvice =
  | { readonly kind: 'final' } // the request cannot succeed as sent
  | { readonly kind: 'retry'; readonly afterMs: number } // transient: try again after afterMs
  | { readonly kind: 'fallback' }; // use another transport (426 to a WebSocket handshake)

export interface ErrorBody {
  readonly message: string;
  readonly type: string;
  readonly code: string | null;
  readonly param: string | null;
}

interface GatewayErrorInit {
  readonly status: number;
  readonly message: string;
  readonly type: string;
  readonly code?: string | null;
  readonly param?: string | null;
  readonly advice: ClientAdvice;
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

export class GatewayError extends Error {
  readonly status: number;
  readonly body: ErrorBody;
  readonly advice: ClientAdvice;
  readonly headers: Readonly<Record<string, string>>;

  constructor(init: GatewayErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'GatewayError';
    this.status = init.status;
    this.body = { message: init.message, type: init.type, code: init.code ?? null, param: init.param ?? null };
    this.advice = init.advice;
    this.headers = init.headers ?? {};
  }
}

const FINAL: ClientAdvice = { kind: 'final' };

/** A request the client must change before it can succeed (400, 413, ...). */
export function invalidRequest(status: number, message: string, code: string, param: string | null = null): GatewayError {
  return new GatewayError({ status, message, type: 'invalid_request_error', code, param, advice: FINAL });
}

/** A request body that could not be read to its end (bad chunked framing, a body shorter than declared): 400, the cause for the log. */
export function unreadableBody(cause: unknown): GatewayError {
  return new GatewayError({
    status: 400,
    message: 'codex-edge: the request body could not be read to its end (invalid framing, or it ended before its declared length); send the request again',
    type: 'invalid_request_error',
    code: 'invalid_request_body',
    advice: FINAL,
    cause,
  });
}

/** The client went away before the gateway could read its request: 499 (nginx's "client closed request"), for the log; nobody is left to read it. */
export function clientClosedRequest(cause: unknown): GatewayError {
  return new GatewayError({
    status: 499,
    message: 'codex-edge: the client closed the connection before its request body was read',
    type: 'invalid_request_error',
    code: 'client_closed_request',
    advice: FINAL,
    cause,
  });
}

/** A request URL longer than the gateway accepts: 414, refused before anything else reads it. */
export function uriTooLong(length: number, limit: number): GatewayError {
  return new GatewayError({
    status: 414,
    message: `codex-edge: the request URL is ${length} bytes long; at most ${limit} are accepted`,
    type: 'invalid_request_error',
    code: 'uri_too_long',
    advice: FINAL,
  });
}

/** Request headers larger in total than the gateway accepts: 431, refused before anything else reads them. */
export function headersTooLarge(size: number, limit: number): GatewayError {
  return new GatewayError({
    status: 431,
    message: `codex-edge: the request headers are ${size} bytes in total; at most ${limit} are accepted`,
    type: 'invalid_request_error',
    code: 'request_header_fields_too_large',
    advice: FINAL,
  });
}

/**
 * A Responses request that has no Chat Completions form (a Chat-only provider behind /v1/responses):
 * final, 400, naming what could not be mapped, so Codex stops after one request and shows it.
 */
export function untranslatable(what: string, param: string | null = null): GatewayError {
  return invalidRequest(400, `codex-edge: this request cannot be sent to a Chat Completions provider: ${what}`, 'untranslatable_request', param);
}

export function unauthorized(message: string): GatewayError {
  return new GatewayError({ status: 401, message, type: 'authentication_error', code: 'invalid_api_key', advice: FINAL });
}

export function notFound(method: string, path: string): GatewayError {
  return new GatewayError({
    status: 404,
    message: `codex-edge: no route for ${method} ${path}`,
    type: 'invalid_request_error',
    code: 'unknown_url',
    advice: FINAL,
  });
}

export function methodNotAllowed(method: string, path: string, allow: readonly string[]): GatewayError {
  return new GatewayError({
    status: 405,
    message: `codex-edge: ${method} is not allowed on ${path}; use ${allow.join(' or ')}`,
    type: 'invalid_request_error',
    code: 'method_not_allowed',
    advice: FINAL,
    headers: { allow: allow.join(', ') },
  });
}

export function forbidden(message: string, code: string): GatewayError {
  return new GatewayError({ status: 403, message, type: 'permission_error', code, advice: FINAL });
}

/** A path the gateway serves, but not for this caller (e.g. a team key on an unrouted path). */
export function unknownUrl(message: string): GatewayError {
  return new GatewayError({ status: 404, message, type: 'invalid_request_error', code: 'unknown_url', advice: FINAL });
}

/** The one 404 Codex stops on at once: `model_not_found`. */
export function modelNotFound(model: string, scope: string): GatewayError {
  return new GatewayError({
    status: 404,
    message: `codex-edge: model "${model}" is not available to ${scope}; GET /v1/models lists the models it routes`,
    type: 'invalid_request_error',
    code: 'model_not_found',
    param: 'model',
    advice: FINAL,
  });
}

/** An admin resource that does not exist. */
export function resourceNotFound(what: string, id: string): GatewayError {
  return new GatewayError({
    status: 404,
    message: `codex-edge: no ${what} "${id}"`,
    type: 'invalid_request_error',
    code: `${what.replace(/ /g, '_')}_not_found`,
    advice: FINAL,
  });
}

export function conflict(message: string, code: string): GatewayError {
  return new GatewayError({ status: 409, message: `codex-edge: ${message}`, type: 'invalid_request_error', code, advice: FINAL });
}

/** A WebSocket handshake where only HTTP is served: 426, on which Codex falls back to HTTP at once. */
export function websocketNotSupported(): GatewayError {
  return new GatewayError({
    status: 426,
    message: 'codex-edge: the WebSocket transport is not supported; use HTTP: POST /v1/responses',
    type: 'invalid_request_error',
    code: 'websocket_not_supported',
    advice: { kind: 'fallback' },
  });
}

/**
 * A WebSocket `response.create` that continues a response this connection does not hold (never
 * seen, not the last one, or forgotten over the session's memory cap): Codex answers this code
 * by sending the full request again, so the upstream never gets a conversation it cannot resolve.
 */
export function previousResponseNotFound(id: string, why: string): GatewayError {
  return new GatewayError({
    status: 400,
    message: `codex-edge: previous response "${id}" was not found on this connection (${why}); send the full input again`,
    type: 'invalid_request_error',
    code: 'previous_response_not_found',
    param: 'previous_response_id',
    advice: FINAL,
  });
}

/** A transient failure (of an upstream, or of a part of the gateway itself): worth retrying after afterMs. */
export function retryable(status: number, code: string, message: string, afterMs: number, cause?: unknown): GatewayError {
  return new GatewayError({ status, message, type: 'server_error', code, advice: { kind: 'retry', afterMs }, cause });
}

/** A client over one of its own limits (a team's or a key's requests per minute or in flight): 429, try again after afterMs. */
export function overLimit(code: string, message: string, afterMs: number): GatewayError {
  return new GatewayError({ status: 429, message, type: 'rate_limit_error', code, advice: { kind: 'retry', afterMs } });
}

/** An upstream answered something the gateway will not pass on (a redirect, a body over a cap): final, 502. */
export function upstreamFault(code: string, message: string): GatewayError {
  return new GatewayError({ status: 502, message, type: 'server_error', code, advice: FINAL });
}

/** A part of the gateway itself (the team registry) failed for a moment: worth retrying. */
export function unavailable(code: string, message: string, cause?: unknown): GatewayError {
  return retryable(503, code, message, 1000, cause);
}

/** A team registry record the gateway cannot read: final (retrying reads the same row), and logged with its cause. */
export function registryCorrupt(message: string, cause?: unknown): GatewayError {
  return new GatewayError({ status: 500, message: `codex-edge: ${message}`, type: 'server_error', code: 'registry_corrupt', advice: FINAL, cause });
}

/** A bug: the client learns only that it happened; the cause (with its stack) goes to the log. */
export function internalError(cause: unknown): GatewayError {
  return new GatewayError({ status: 500, message: 'codex-edge: internal error', type: 'server_error', code: 'internal_error', advice: FINAL, cause });
}

/** A deployment mistake: final, and it names the setting to fix. */
export function configurationError(message: string): GatewayError {
  return new GatewayError({
    status: 500,
    message: `codex-edge configuration error: ${message}`,
    type: 'server_error',
    code: 'gateway_misconfigured',
    advice: FINAL,
  });
}

/** The `{"error": ...}` document for a body. */
export function errorDocument(body: ErrorBody): { error: ErrorBody } {
  return { error: body };
}
