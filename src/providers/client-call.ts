/**
 * A client's request as every adapter sees it: read once by the route, then turned into one
 * upstream request per attempt. JSON routes also get the body parsed and checked.
 */
import { invalidRequest } from '../core/errors';
import { isJsonObject, type JsonObject } from '../core/json';
import type { WireApi } from '../stream/terminal';

/** What the gateway reads from a JSON request body; the body goes upstream untouched unless an adapter rewrites it. */
export interface JsonRequest {
  readonly model: string | null;
  readonly stream: boolean;
  readonly document: Readonly<JsonObject>;
}

export interface ClientCall {
  /** The wire API the client speaks on this route. */
  readonly wire: WireApi;
  readonly method: string;
  /** The API path below /v1, e.g. "/responses". */
  readonly apiPath: string;
  /** The query string, with its "?" (or ""). */
  readonly search: string;
  readonly body: Uint8Array | null;
  /** The parsed body on JSON routes, else null. */
  readonly json: JsonRequest | null;
}

export function inspectJson(bytes: Uint8Array): JsonRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw invalidRequest(400, 'codex-edge: request body is not valid JSON', 'invalid_json');
  }
  if (!isJsonObject(parsed)) throw invalidRequest(400, 'codex-edge: request body must be a JSON object', 'invalid_json');
  const model = parsed['model'];
  if (model !== undefined && typeof model !== 'string') {
    throw invalidRequest(400, 'codex-edge: "model" must be a string', 'invalid_type', 'model');
  }
  return { model: model ?? null, stream: parsed['stream'] === true, document: parsed };
}

/** The body to send a provider that knows the model by another name. */
export function withModel(request: JsonRequest, model: string): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ ...request.document, model }));
}
