/**
 * Reads a request body once, bounded by the size limit, so that it can be sent upstream again
 * on every attempt; JSON routes also get it parsed and checked. Oversized → 413, not JSON → 400.
 */
import { collect } from '../stream/collect';
import { invalidRequest, type GatewayError } from '../core/errors';

function tooLarge(limit: number): GatewayError {
  return invalidRequest(413, `codex-edge: request body is larger than ${limit} bytes (MAX_REQUEST_BODY_BYTES)`, 'request_too_large');
}

export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > limit) throw tooLarge(limit);
  return collect(request.body, (total) => {
    if (total > limit) throw tooLarge(limit);
  });
}

/** What the gateway reads from a JSON request body; the body goes upstream untouched unless a route rewrites its model. */
export interface JsonRequest {
  readonly model: string | null;
  readonly stream: boolean;
  readonly document: Readonly<Record<string, unknown>>;
}

export function inspectJson(bytes: Uint8Array): JsonRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw invalidRequest(400, 'codex-edge: request body is not valid JSON', 'invalid_json');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidRequest(400, 'codex-edge: request body must be a JSON object', 'invalid_json');
  }
  const doc = parsed as Record<string, unknown>;
  const model = doc['model'];
  if (model !== undefined && typeof model !== 'string') {
    throw invalidRequest(400, 'codex-edge: "model" must be a string', 'invalid_type', 'model');
  }
  return { model: model ?? null, stream: doc['stream'] === true, document: doc };
}

/** The body to send a provider that knows the model by another name. */
export function withModel(request: JsonRequest, model: string): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ ...request.document, model }));
}
