/** Pure: the Responses output items, and their fields, the builder fills in from what a Chat provider said. */
import type {
  ResponseCustomToolCall,
  ResponseFunctionToolCall,
  ResponseOutputItem,
  ResponseOutputMessage,
  ResponseReasoningItem,
  ResponseUsage,
} from 'openai/resources/responses/responses';
import type { ToolTarget } from './names';
import { integer, isJsonObject, type JsonObject } from './read';

export function newId(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().replaceAll('-', '')}`;
}

/**
 * Chat usage (OpenAI's fields, DeepSeek's `prompt_cache_hit_tokens`) as Responses usage: every
 * field a whole number (Codex refuses nulls), whatever the provider sent.
 */
export function responsesUsage(usage: Readonly<JsonObject>): ResponseUsage {
  const count = (value: unknown, key: string): number | null => (isJsonObject(value) ? integer(value[key]) : null);
  const input = integer(usage['prompt_tokens']) ?? 0;
  const output = integer(usage['completion_tokens']) ?? 0;
  return {
    input_tokens: input,
    output_tokens: output,
    total_tokens: integer(usage['total_tokens']) ?? input + output,
    input_tokens_details: { cached_tokens: count(usage['prompt_tokens_details'], 'cached_tokens') ?? integer(usage['prompt_cache_hit_tokens']) ?? 0 },
    output_tokens_details: { reasoning_tokens: count(usage['completion_tokens_details'], 'reasoning_tokens') ?? 0 },
  };
}

/** A freeform tool's `input` from the `{"input": "..."}` arguments the provider produced (the raw text if they are not that). */
export function customInput(args: string): string {
  try {
    const parsed: unknown = JSON.parse(args);
    const input = isJsonObject(parsed) ? parsed['input'] : undefined;
    if (typeof input === 'string') return input;
  } catch {
    // not JSON: the model wrote the input itself
  }
  return args;
}

/** Whether tool-call arguments are whole (a call cut by finish_reason length is not). */
export function isJson(text: string): boolean {
  if (text === '') return true;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export function messageItem(id: string, text: string): ResponseOutputMessage {
  return { type: 'message', id, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] };
}

export function reasoningItem(id: string, text: string): ResponseReasoningItem {
  return { type: 'reasoning', id, summary: [{ type: 'summary_text', text }] };
}

/**
 * A tool call as Codex runs it: a `custom_tool_call` with its `input` for a freeform tool (empty
 * until complete), else a `function_call` whose arguments, once complete, are at least `{}`.
 */
export function callItem(
  target: ToolTarget,
  ids: { readonly id: string; readonly callId: string },
  args: string,
  status: 'in_progress' | 'completed',
): ResponseFunctionToolCall | ResponseCustomToolCall {
  const namespace = target.namespace === null ? {} : { namespace: target.namespace };
  const { id, callId } = ids;
  if (target.kind === 'custom')
    return { type: 'custom_tool_call', id, call_id: callId, name: target.name, input: status === 'completed' ? customInput(args) : '', ...namespace };
  const complete = status === 'completed' && args === '' ? '{}' : args;
  return { type: 'function_call', id, call_id: callId, name: target.name, arguments: complete, status, ...namespace };
}

/** The text of every message of an output, joined: the response's `output_text`. */
export function outputText(output: readonly ResponseOutputItem[]): string {
  return output.flatMap((item) => (item.type === 'message' ? item.content.map((part) => (part.type === 'output_text' ? part.text : '')) : [])).join('');
}
