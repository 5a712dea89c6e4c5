/**
 * The one error type the gateway raises and the one shape it speaks on the wire:
 * `{"error": {"message", "type", "code", "param"}}`. Nothing else formats an error body.
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
}

export class GatewayError extends Error {
  readonly status: number;
  readonly body: ErrorBody;
  readonly advice: ClientAdvice;
  readonly headers: Readonly<Record<string, string>>;

  constructor(init: GatewayErrorInit) {
    super(init.message);
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

/** A part of the gateway itself (the team registry) failed for a moment: worth retrying. */
export function unavailable(code: string, message: string): GatewayError {
  return new GatewayError({ status: 503, message, type: 'server_error', code, advice: { kind: 'retry', afterMs: 1000 } });
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
