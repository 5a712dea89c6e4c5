/** Pure readers for a client's Responses request, whose shape is only known at run time. */
import { isJsonObject, type JsonObject } from '../../core/json';

export { isJsonObject, type JsonObject };

export function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function objects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/** The text of content parts (input_text, output_text, text, refusal, summary_text, reasoning_text), or a plain string. */
export function partsText(content: unknown, separator = '\n'): string {
  if (typeof content === 'string') return content;
  return objects(content)
    .map((part) => text(part['text']) ?? text(part['refusal']) ?? '')
    .filter((part) => part !== '')
    .join(separator);
}

/** Arguments as Chat Completions wants them: a JSON string. */
export function argumentsText(value: unknown): string {
  if (typeof value === 'string') return value === '' ? '{}' : value;
  return value === undefined || value === null ? '{}' : JSON.stringify(value);
}
