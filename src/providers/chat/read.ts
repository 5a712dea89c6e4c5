/** Pure readers for a client's Responses request, whose shape is only known at run time. */
import { isJsonObject, type JsonObject } from '../../core/json';

export { isJsonObject, type JsonObject };

export function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The items of an array (none for anything else). */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** A whole number, else null (a provider's counters may be missing, null or mistyped). */
export function integer(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

export function objects(value: unknown): JsonObject[] {
  return list(value).filter(isJsonObject);
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
