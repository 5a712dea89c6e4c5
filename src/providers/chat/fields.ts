/** Pure: the fields of Responses output items the builder fills in from what a Chat provider said. */
import type { ResponseUsage } from 'openai/resources/responses/responses';
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
