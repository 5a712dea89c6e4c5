/**
 * Test support: what Codex and the OpenAI SDK's stream helper require of a Responses event
 * sequence (FIELD-NOTES §6), checked on a list of parsed events; and chat chunk builders.
 */

export type Json = Record<string, unknown>;

/** The problems of a translated stream ([] when Codex and the SDK accept it). */
export function responsesStreamProblems(events: readonly Json[]): string[] {
  const problems: string[] = [];
  const added = new Map<number, Json>();
  const done = new Set<number>();
  let last = -1;
  events.forEach((event, position) => {
    const type = String(event['type']);
    const sequence = event['sequence_number'];
    if (typeof sequence !== 'number' || sequence <= last) problems.push(`#${position} ${type}: sequence_number ${String(sequence)} after ${last}`);
    if (typeof sequence === 'number') last = sequence;
    if (position === 0 && type !== 'response.created') problems.push(`the first event is ${type}, not response.created`);
    const index = event['output_index'];
    if (type === 'response.output_item.added' && typeof index === 'number') {
      if (added.has(index)) problems.push(`item ${index} added twice`);
      added.set(index, event['item'] as Json);
    } else if (type === 'response.output_item.done' && typeof index === 'number') {
      if (!added.has(index)) problems.push(`item ${index} done without being added`);
      done.add(index);
      const item = event['item'] as Json;
      if (
        item['type'] === 'function_call' &&
        (typeof item['name'] !== 'string' || typeof item['call_id'] !== 'string' || typeof item['arguments'] !== 'string')
      )
        problems.push(`function_call ${index} lacks name, call_id or arguments`);
      if (item['type'] === 'custom_tool_call' && (typeof item['input'] !== 'string' || typeof item['call_id'] !== 'string'))
        problems.push(`custom_tool_call ${index} lacks input or call_id`);
      if (item['type'] === 'reasoning' && !Array.isArray(item['summary'])) problems.push(`reasoning ${index} lacks a summary`);
    } else if (typeof index === 'number' && !type.startsWith('response.output_item')) {
      if (!added.has(index)) problems.push(`${type} for item ${index} before its output_item.added`);
      if (done.has(index)) problems.push(`${type} for item ${index} after its output_item.done`);
    }
  });
  const final = events.at(-1);
  const finalType = String(final?.['type']);
  if (finalType === 'response.completed') {
    for (const index of added.keys()) if (!done.has(index)) problems.push(`item ${index} never done`);
    const response = final?.['response'] as Json | undefined;
    if (typeof response?.['id'] !== 'string') problems.push('response.completed without response.id');
    const usage = response?.['usage'] as Json | undefined;
    if (usage !== undefined)
      for (const key of ['input_tokens', 'output_tokens', 'total_tokens']) if (!Number.isInteger(usage[key])) problems.push(`usage.${key} is not an integer`);
  } else if (finalType !== 'response.failed') problems.push(`the last event is ${finalType}`);
  return problems;
}

/** A chat.completion.chunk SSE event with one choice. */
export function chunk(delta: Json, finish: string | null = null, extra: Json = {}): string {
  const payload = {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...extra,
  };
  return `data: ${JSON.stringify(payload)}\n\n`;
}

export function usageChunk(usage: Json): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage })}\n\n`;
}

export const DONE = 'data: [DONE]\n\n';

/** A tool-call fragment as providers stream it: id and name only in the first. */
export function toolFragment(index: number, args: string, first?: { id: string; name: string }): Json {
  return {
    tool_calls: [
      {
        index,
        ...(first === undefined ? {} : { id: first.id, type: 'function' }),
        function: { ...(first === undefined ? {} : { name: first.name }), arguments: args },
      },
    ],
  };
}
