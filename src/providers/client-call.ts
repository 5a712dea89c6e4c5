/**
 * A client's request as every adapter sees it: read once by the route, then turned into one
 * upstream request per attempt. JSON routes also get the body parsed and checked.
 */
import { invalidRequest } from '../core/errors';
import { isJsonObject, type JsonObject } from '../core/json';
import { spliceRanges, topLevelMembers } from '../core/json-members';
import type { WireApi } from '../stream/terminal';

/** What the gateway reads from a JSON request body; the body goes upstream as sent (less a BOM) unless an adapter renames its model. */
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

const BOM = [0xef, 0xbb, 0xbf] as const;

/** A JSON body as it goes upstream: the client's bytes, without a leading UTF-8 BOM (which providers reject). */
export function withoutBom(body: Uint8Array): Uint8Array {
  return body[0] === BOM[0] && body[1] === BOM[1] && body[2] === BOM[2] ? body.subarray(BOM.length) : body;
}

/**
 * The body to send a provider that knows the model by another name: the client's bytes with
 * only the value of every top-level "model" member replaced (nested ones are the client's
 * business), or the member added first when there is none; no BOM. Every other byte is kept.
 */
export function withModel(body: Uint8Array, model: string): Uint8Array {
  const bytes = withoutBom(body);
  const { open, members } = topLevelMembers(bytes);
  const encoded = new TextEncoder().encode(JSON.stringify(model));
  const values = members.filter((member) => member.name === 'model').map((member) => member.value);
  if (values.length > 0) return spliceRanges(bytes, values, encoded);
  const member = new TextEncoder().encode(`"model":${JSON.stringify(model)}${members.length > 0 ? ',' : ''}`);
  return spliceRanges(bytes, [{ start: open + 1, end: open + 1 }], member);
}
