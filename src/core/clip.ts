/** Pure: bounds a text that an upstream controls before it reaches a client or a log line. */
import type { Redactor } from './redact';

/** The longest message or log field the gateway writes, in characters. */
export const MAX_TEXT_CHARS = 2048;

export function clip(text: string, max: number = MAX_TEXT_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/**
 * A text as an answer, a log line or a stored row may show it: redacted first, then clipped, so
 * that a clip never cuts a secret short of what its redaction would have found.
 */
export function shownText(text: string, redactor: Pick<Redactor, 'text'>): string {
  return clip(redactor.text(text));
}
