/**
 * Codex's remote compaction as OpenAI serves it (Codex 0.169 and 0.171, built-in provider): a
 * `POST /v1/responses` whose input holds `{"type": "compaction_trigger"}` is answered with exactly
 * one `compaction` output item (its `encrypted_content` opaque to the client: here base64 of a
 * summary) and no message, streamed (item added, item done, completed) or as the JSON object.
 * Without it Codex fails the compaction with "expected exactly one compaction output item, got 0".
 */
import { sseFrame } from './reply';
import { responseWith, type ResponseSpec } from './responses';
import { randomId } from './text';
import { isRecord } from './validate';

export interface CompactionItem {
  type: 'compaction';
  id: string;
  encrypted_content: string;
}

/** Whether a Responses request asks for a compaction (an input item `compaction_trigger`). */
export function asksForCompaction(input: unknown): boolean {
  return Array.isArray(input) && input.some((item) => isRecord(item) && item['type'] === 'compaction_trigger');
}

function compactionAnswer(spec: ResponseSpec): { item: CompactionItem; response: (status: 'in_progress' | 'completed') => Record<string, unknown> } {
  const summary = `Summary of the conversation so far: ${spec.text}`;
  const item: CompactionItem = { type: 'compaction', id: randomId('cmp_'), encrypted_content: Buffer.from(summary).toString('base64') };
  return { item, response: (status) => responseWith(spec, status, [item], summary) };
}

/** The JSON answer to a compaction request (`stream` not true). */
export function compactionResponse(spec: ResponseSpec): Record<string, unknown> {
  return compactionAnswer(spec).response('completed');
}

/** The SSE frames of a streamed answer to a compaction request. */
export function* compactionEvents(spec: ResponseSpec): Generator<string> {
  const { item, response } = compactionAnswer(spec);
  let sequence = 0;
  const event = (type: string, fields: Record<string, unknown>): string => sseFrame({ type, sequence_number: sequence++, ...fields }, type);
  yield event('response.created', { response: response('in_progress') });
  yield event('response.in_progress', { response: response('in_progress') });
  yield event('response.output_item.added', { output_index: 0, item: { type: 'compaction', id: item.id } });
  yield event('response.output_item.done', { output_index: 0, item });
  yield event('response.completed', { response: response('completed') });
}
