/** Pure: bounds a text that an upstream controls before it reaches a client or a log line. */

/** The longest message or log field the gateway writes, in characters. */
export const MAX_TEXT_CHARS = 2048;

export function clip(text: string, max: number = MAX_TEXT_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
