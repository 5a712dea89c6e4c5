/**
 * Pure: Codex's remote compaction for a Chat Completions provider. Codex (0.169, 0.171) compacts
 * a long session by sending its ordinary `POST /responses` with a last input item
 * `{"type": "compaction_trigger"}` and takes the one `compaction` output item it gets back as the
 * conversation's new start, sending it back in later requests' `input`. A Chat provider has no
 * such thing, so the gateway asks it for a summary instead (the trigger becomes a user message
 * that asks for one, and no tools are offered) and hands the summary back as the
 * `encrypted_content` of a `compaction` item, in a form of its own; a later `compaction` item in
 * that form becomes a user message holding the summary again. A compaction item made elsewhere
 * (OpenAI's opaque one) cannot be read, and is refused by name.
 */
import type { ResponseOutputItem } from 'openai/resources/responses/responses';
import { fromBase64, toBase64 } from '../../core/encoding';
import type { Redactor } from '../../core/redact';
import { newId } from './fields';
import { isJsonObject, text } from './read';

/** The input item Codex ends a compaction request with. */
export const COMPACTION_TRIGGER = 'compaction_trigger';

/** Marks an `encrypted_content` the gateway made: its summary follows, base64 of UTF-8. */
const PREFIX = 'codex-edge.summary.v1:';

/** What the provider is asked, in place of the trigger. */
export const SUMMARY_REQUEST =
  'The conversation so far is about to be replaced by a summary of it, written by you now. Write a handoff summary for ' +
  'yourself to continue the task from: the goal and the constraints the user gave, what has been done (commands run, files ' +
  'read or changed and what they showed), decisions made, and what remains to do next. Answer with the summary only; call no tools.';

/** How a summary reads when it comes back in a later request. */
export function summaryMessage(summary: string): string {
  return `Summary of the earlier conversation (context compacted):\n\n${summary}`;
}

export function isCompactionTrigger(item: unknown): boolean {
  return isJsonObject(item) && item['type'] === COMPACTION_TRIGGER;
}

/** The `encrypted_content` of a compaction item holding `summary`. */
export function compactionContent(summary: string): string {
  return PREFIX + toBase64(new TextEncoder().encode(summary));
}

/** The summary a compaction item's `encrypted_content` holds, or null when the gateway did not make it. */
export function compactionSummary(encrypted: unknown): string | null {
  const content = text(encrypted);
  if (content?.startsWith(PREFIX) !== true) return null;
  const bytes = fromBase64(content.slice(PREFIX.length));
  if (bytes === null) return null;
  return new TextDecoder().decode(bytes);
}

/**
 * A compaction answer's summary as it comes: all of the answer's text, whatever reasoning comes
 * between its pieces, made into one `compaction` item when the answer ends (Codex takes exactly
 * one), its summary redacted before it is encoded (in base64 the events' redaction could only
 * replace the whole of it, making it unreadable).
 */
export class CompactionSummary {
  /** The text so far; null until some comes. */
  #text: string | null = null;

  /** Whether no text has come yet. */
  get empty(): boolean {
    return this.#text === null;
  }

  /** Whether the summary holds no text at all: Codex could not take the answer. */
  get missing(): boolean {
    return (this.#text ?? '').trim() === '';
  }

  add(delta: string): void {
    this.#text = (this.#text ?? '') + delta;
  }

  /** Lets go of the text (an answer that failed or was cut short: a summary cut short would become the whole conversation). */
  drop(): void {
    this.#text = null;
  }

  /** The one compaction item, or null when there is no text; taken once. */
  take(redactor: Pick<Redactor, 'text'>): ResponseOutputItem | null {
    if (this.#text === null) return null;
    const item: ResponseOutputItem = { type: 'compaction', id: newId('cmp'), encrypted_content: compactionContent(redactor.text(this.#text)) };
    this.#text = null;
    return item;
  }
}
