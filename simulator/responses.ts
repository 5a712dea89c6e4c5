/**
 * Responses API payloads: the response object (JSON answer and the snapshots
 * inside events), the SSE event sequence Codex and the OpenAI SDKs expect
 * (created → in_progress → item/part added → text deltas → done events →
 * completed, with increasing sequence_number), and the compaction answer.
 */
import { sseFrame } from './reply';
import { composeText, estimateTokens, randomId, splitDeltas, unixSeconds } from './text';

/** Everything one simulated response is made of; build it with `newResponseSpec`. */
export interface ResponseSpec {
  id: string;
  itemId: string;
  createdAt: number;
  model: string;
  text: string;
  deltaSize: number;
  inputTokens: number;
}

export interface MessageItem {
  type: 'message';
  id: string;
  role: 'assistant';
  status: 'in_progress' | 'completed';
  content: { type: 'output_text'; text: string; annotations: [] }[];
}

export interface ResponseUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens_details: { reasoning_tokens: number };
}

export interface ResponseObject {
  id: string;
  object: 'response';
  created_at: number;
  status: 'in_progress' | 'completed';
  error: null;
  incomplete_details: null;
  model: string;
  output: MessageItem[];
  usage: ResponseUsage | null;
}

export function newResponseSpec(model: string, requestBody: string, deltaCount: number, deltaSize: number): ResponseSpec {
  return {
    id: randomId('resp_'),
    itemId: randomId('msg_'),
    createdAt: unixSeconds(),
    model,
    text: composeText(deltaCount, deltaSize),
    deltaSize,
    inputTokens: estimateTokens(requestBody),
  };
}

/** The completed assistant message carrying `text`. */
export function messageItem(id: string, text: string): MessageItem {
  return { type: 'message', id, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] };
}

export function usageFor(inputTokens: number, text: string): ResponseUsage {
  const outputTokens = estimateTokens(text);
  return {
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    total_tokens: inputTokens + outputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens_details: { reasoning_tokens: 0 },
  };
}

/** A response object of `spec` holding `output` (none while in progress), with the usage of `text` once completed. */
export function responseWith<Item>(
  spec: ResponseSpec,
  status: ResponseObject['status'],
  output: Item[],
  text: string,
): Omit<ResponseObject, 'output'> & { output: Item[] } {
  const completed = status === 'completed';
  return {
    id: spec.id,
    object: 'response',
    created_at: spec.createdAt,
    status,
    error: null,
    incomplete_details: null,
    model: spec.model,
    output: completed ? output : [],
    usage: completed ? usageFor(spec.inputTokens, text) : null,
  };
}

/** The response object: in progress (no output yet) or completed (the JSON answer for `stream: false`). */
export function responseObject(spec: ResponseSpec, status: ResponseObject['status']): ResponseObject {
  return responseWith(spec, status, [messageItem(spec.itemId, spec.text)], spec.text);
}

/** The SSE frames of a streamed response, generated lazily (large streams cost no memory up front). */
export function* responseEvents(spec: ResponseSpec): Generator<string> {
  let sequence = 0;
  const event = (type: string, fields: Record<string, unknown>): string => sseFrame({ type, sequence_number: sequence++, ...fields }, type);
  const part = { item_id: spec.itemId, output_index: 0, content_index: 0 };
  const inProgress = responseObject(spec, 'in_progress');

  yield event('response.created', { response: inProgress });
  yield event('response.in_progress', { response: inProgress });
  yield event('response.output_item.added', {
    output_index: 0,
    item: { ...messageItem(spec.itemId, ''), status: 'in_progress', content: [] },
  });
  yield event('response.content_part.added', { ...part, part: { type: 'output_text', annotations: [], text: '' } });
  for (const delta of splitDeltas(spec.text, spec.deltaSize)) {
    yield event('response.output_text.delta', { ...part, delta, logprobs: [] });
  }
  yield event('response.output_text.done', { ...part, text: spec.text, logprobs: [] });
  yield event('response.content_part.done', { ...part, part: { type: 'output_text', annotations: [], text: spec.text } });
  yield event('response.output_item.done', { output_index: 0, item: messageItem(spec.itemId, spec.text) });
  yield event('response.completed', { response: responseObject(spec, 'completed') });
}

/** The answer to POST /v1/responses/compact: the history compacted into one message. */
export function compactionObject(spec: ResponseSpec): { output: MessageItem[]; usage: ResponseUsage } {
  const summary = `Summary of the conversation so far: ${spec.text}`;
  return { output: [messageItem(spec.itemId, summary)], usage: usageFor(spec.inputTokens, summary) };
}
