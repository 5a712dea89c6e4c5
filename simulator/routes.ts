/**
 * The normal (fault-free) answers of the /v1/* API: Responses, compaction, Chat
 * Completions, models, and the real API's 404/400 errors for unknown paths,
 * bodies that are not JSON objects and a missing `model`.
 */
import { chatChunks, chatCompletion, newChatSpec } from './chat';
import { scriptedAnswer, type ChatReply } from './chat-script';
import { rejectedField, strictChatViolation } from './strict-chat';
import { invalidJson, openAIError, unknownUrl } from './errors';
import { randomId } from './text';
import type { Settings } from './options';
import { jsonReply, sseReply, type Reply } from './reply';
import { asksForCompaction, compactionEvents, compactionResponse } from './compaction';
import { compactionObject, newResponseSpec, responseEvents, responseObject } from './responses';
import { isRecord, type JsonRecord } from './validate';

export const MODELS = ['gpt-test', 'gpt-5-codex'] as const;

interface PostContext {
  json: JsonRecord;
  model: string;
  body: string;
  settings: Readonly<Settings>;
  /** The next scripted chat reply (chat-script.ts), if any is queued. */
  nextReply: () => ChatReply | undefined;
}

const POST_ROUTES: Readonly<Record<string, (context: PostContext) => Reply>> = {
  '/v1/responses': ({ json, model, body, settings }) => {
    const spec = newResponseSpec(model, body, settings.deltaCount, settings.deltaSize);
    if (asksForCompaction(json.input)) return json.stream === true ? sseReply(compactionEvents(spec)) : jsonReply(200, compactionResponse(spec));
    return json.stream === true ? sseReply(responseEvents(spec)) : jsonReply(200, responseObject(spec, 'completed'));
  },
  '/v1/responses/compact': ({ model, body, settings }) =>
    jsonReply(200, compactionObject(newResponseSpec(model, body, settings.deltaCount, settings.deltaSize))),
  '/v1/chat/completions': ({ json, model, body, settings, nextReply }) => {
    // --chat-reject refuses its fields with or without --chat-strict (it used to be ignored without).
    const violation = settings.chatStrict
      ? strictChatViolation(json, { rejectFields: settings.chatRejectFields })
      : rejectedField(json, settings.chatRejectFields);
    if (violation !== null) return jsonReply(400, openAIError(violation.message, 'invalid_request_error', null, violation.param));
    const usual = newChatSpec(model, body, settings.deltaCount, settings.deltaSize);
    const answer = scriptedAnswer(nextReply(), json, usual.text, randomId('call_').slice(0, 29));
    const spec = { ...usual, ...answer };
    if (json.stream !== true) return jsonReply(200, chatCompletion(spec));
    const includeUsage = isRecord(json.stream_options) && json.stream_options.include_usage === true;
    return sseReply(chatChunks(spec, includeUsage));
  },
};

/** True for the paths that are recorded and consume faults. */
export function isApiPath(pathname: string): boolean {
  return pathname === '/v1' || pathname.startsWith('/v1/');
}

/** The answer a healthy provider gives to this request. */
export function normalReply(
  method: string,
  pathname: string,
  body: string,
  settings: Readonly<Settings>,
  nextReply: () => ChatReply | undefined = () => undefined,
): Reply {
  if (method === 'GET' && pathname === '/v1/models') {
    const data = MODELS.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'codex-edge-simulator' }));
    return jsonReply(200, { object: 'list', data });
  }
  // A Chat-Completions-only provider has no Responses API.
  if (settings.chatStrict && pathname.startsWith('/v1/responses')) return jsonReply(404, unknownUrl(method, pathname));
  const handler = method === 'POST' ? POST_ROUTES[pathname] : undefined;
  if (handler === undefined) return jsonReply(404, unknownUrl(method, pathname));
  const json = parseObject(body);
  if (json === undefined) return jsonReply(400, invalidJson());
  if (typeof json.model !== 'string' || json.model === '') {
    return jsonReply(400, openAIError("Missing required parameter: 'model'.", 'invalid_request_error', 'missing_required_parameter', 'model'));
  }
  return handler({ json, model: json.model, body, settings, nextReply });
}

/** The `model` of a JSON request body, for error messages that name it. */
export function requestedModel(body: string): string {
  const model = parseObject(body)?.model;
  return typeof model === 'string' && model !== '' ? model : 'gpt-test';
}

function parseObject(body: string): JsonRecord | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
