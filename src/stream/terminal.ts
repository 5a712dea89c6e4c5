/**
 * Per wire API: which events end a stream, and what to send when a stream breaks or ends
 * without one, so that a client always sees a proper end (never a silent clean close); and, as
 * it goes by, the usage a stream reports and whether it ended in a failure (its report):
 * - responses: `response.completed` / `response.failed` / `response.incomplete` end it; a broken
 *   stream ends with `response.failed` carrying a retryable code (Codex retries it);
 * - chat: `data: [DONE]` (or an error chunk: a non-null `error`) ends it, a finish_reason (a
 *   non-empty string: older Ollama sends "" on every chunk) lets it end; a broken stream ends
 *   with an error chunk, which the OpenAI SDKs raise as an APIError;
 * - opaque: no known terminal event; the gateway relays it and cannot repair it.
 * Usage comes from the terminal event's `response.usage` (Responses) or a chunk with a `usage`
 * object (Chat, with stream_options.include_usage); a failure's code and message from the event
 * that ended the stream in it (read only then).
 */
import { field, parseJsonObject } from '../core/json';
import { dataEvent, type SseEvent } from './sse';
import { tokenUsage, usageInTail, type TokenUsage } from './usage';

export type WireApi = 'responses' | 'chat' | 'opaque';

/** What one event means for the end of the stream. */
export type EventMeaning = 'progress' | 'may-end' | 'end';

/** The retryable code put on a stream the gateway had to end. */
const BROKEN_STREAM_CODE = 'server_error';
/**
 * The code put on a stream the gateway ended for a reason a retry would meet again (an answer past
 * MAX_SSE_EVENT_BYTES): one of the `response.failed` codes Codex stops on and whose message it shows.
 */
export const FINAL_STREAM_CODE = 'invalid_prompt';

/** What a failed stream's last event said of its failure (either part may be missing). */
export interface StreamFailure {
  readonly code: string | null;
  readonly message: string | null;
}

/** What a stream said about itself by the time it ended. */
export interface StreamReport {
  readonly usage: TokenUsage | null;
  /** It ended in a failure: the upstream's own (response.failed, an error chunk) or the closing event the gateway added. */
  readonly failed: boolean;
  /** That failure's code and message, as its event said them; null when it did not fail or said nothing readable. */
  readonly failure: StreamFailure | null;
}

/**
 * Pure: the code and message of an `error` member (a Responses failure's `response.error`, a Chat
 * error chunk's `error`: an object, or a bare message); null when it holds neither. Read only for
 * an event that ended a stream in a failure.
 */
export function failureOf(error: unknown): StreamFailure | null {
  if (typeof error === 'string') return error === '' ? null : { code: null, message: error };
  const code = field(error, 'code');
  const message = field(error, 'message');
  const failure = {
    code: typeof code === 'string' && code !== '' ? code : typeof code === 'number' ? String(code) : null,
    message: typeof message === 'string' && message !== '' ? message : null,
  };
  return failure.code === null && failure.message === null ? null : failure;
}

export interface StreamWatch {
  /**
   * A pattern (flag g) that the data of every event this watch learns from matches (a terminal
   * event, one that names the response, one with usage); null when no event matters. A relay
   * that passes bytes on observes only the events around its matches, and the last event before
   * it asks for a closing one. False matches cost a parse, nothing else.
   */
  readonly marks: RegExp | null;
  observe(event: SseEvent): EventMeaning;
  /**
   * The events that end a stream which has not ended by itself, or null when none is owed or possible;
   * `final`: for a reason a retry would meet again (a Responses client is told not to retry).
   */
  closing(reason: string, final?: boolean): SseEvent | null;
  report(): StreamReport;
}

const SILENT: StreamReport = { usage: null, failed: false, failure: null };

export function watchStream(wire: WireApi): StreamWatch {
  switch (wire) {
    case 'responses':
      return new ResponsesWatch();
    case 'chat':
      return new ChatWatch();
    case 'opaque':
      return { marks: null, observe: () => 'progress', closing: () => null, report: () => SILENT };
  }
}

const RESPONSES_END: ReadonlySet<string> = new Set(['response.completed', 'response.failed', 'response.incomplete']);

/** Events whose payload the watch reads; every other event is only scanned for its type and sequence number. */
const RESPONSES_READ: ReadonlySet<string> = new Set(['response.created', 'response.in_progress', ...RESPONSES_END]);
/** The event's own type: the first `"type": "response.…"` (nested items have types of their own, never `response.…`). */
const TYPE_FIELD = /"type"\s*:\s*"(response\.[^"]+)"/;
const SEQUENCE_FIELD = /"sequence_number"\s*:\s*(\d+)/;
/** The type of every Responses event in a text (a stream's head). */
const EVENT_TYPES = /"type"\s*:\s*"response\.([a-z_.]+)"/g;
const PREAMBLE: ReadonlySet<string> = new Set(['created', 'in_progress']);
/** The events the Responses watch reads, found in a text without splitting it. */
const RESPONSES_MARKS = new RegExp(`"type"\\s*:\\s*"(?:${[...RESPONSES_READ].map((type) => type.replaceAll('.', '\\.')).join('|')})"`, 'g');

/** Whether a Responses stream's head holds an event past its preamble (response.created / in_progress). */
export function pastResponsesPreamble(head: string): boolean {
  for (const match of head.matchAll(EVENT_TYPES)) if (!PREAMBLE.has(match[1] ?? '')) return true;
  return false;
}

/** Larger events are recognised by their type alone. */
const PARSE_LIMIT = 64 * 1024;

class ResponsesWatch implements StreamWatch {
  readonly marks = RESPONSES_MARKS;
  #ended = false;
  #responseId: string | null = null;
  #model: string | null = null;
  #sequence = -1;
  #usage: TokenUsage | null = null;
  #failed = false;
  #failure: StreamFailure | null = null;

  observe(event: SseEvent): EventMeaning {
    if (event.data === null) return 'progress';
    const sequence = SEQUENCE_FIELD.exec(event.data)?.[1];
    if (sequence !== undefined) this.#sequence = Math.max(this.#sequence, Number(sequence));
    // Deltas are most of a stream: their type (the JSON `type` Codex dispatches on, never the
    // SSE `event:` line) is read without parsing them.
    const type = TYPE_FIELD.exec(event.data)?.[1];
    if (type === undefined || !RESPONSES_READ.has(type)) return 'progress';
    // A final event carries the whole output and may be megabytes: only a small one is parsed.
    const payload = event.data.length <= PARSE_LIMIT ? parseJsonObject(event.data) : null;
    const id = field(payload?.['response'], 'id');
    const model = field(payload?.['response'], 'model');
    if (typeof id === 'string') this.#responseId = id;
    if (typeof model === 'string') this.#model = model;
    if (RESPONSES_END.has(type)) {
      this.#ended = true;
      this.#usage = payload === null ? usageInTail(event.data) : tokenUsage(field(payload['response'], 'usage'));
      this.#failed = type === 'response.failed';
      if (this.#failed) this.#failure = failureOf(field(payload?.['response'], 'error'));
      return 'end';
    }
    return 'progress';
  }

  report(): StreamReport {
    return { usage: this.#usage, failed: this.#failed, failure: this.#failure };
  }

  closing(reason: string, final = false): SseEvent | null {
    if (this.#ended) return null;
    this.#ended = true;
    this.#failed = true;
    const code = final ? FINAL_STREAM_CODE : BROKEN_STREAM_CODE;
    this.#failure = { code, message: reason };
    return dataEvent('response.failed', {
      type: 'response.failed',
      sequence_number: this.#sequence + 1,
      response: {
        id: this.#responseId ?? `resp_edge_${crypto.randomUUID().replaceAll('-', '')}`,
        object: 'response',
        status: 'failed',
        model: this.#model,
        output: [],
        error: { code, message: reason },
        incomplete_details: null,
      },
    });
  }
}

/** Only chunks that may end a chat stream are parsed: an error, or a choice with a finish_reason; and those with a usage object. */
const CHAT_MAY_END = /"finish_reason"\s*:\s*"|^\s*\{\s*"error"/;
const CHAT_USAGE = /"usage"\s*:\s*\{/;
const CHAT_MARKS = /\[DONE\]|"finish_reason"\s*:\s*"|"error"|"usage"\s*:\s*\{/g;

const DONE: SseEvent = { text: 'data: [DONE]\n\n', event: null, data: '[DONE]' };

/** A choice that says why it stopped (older Ollama sends `"finish_reason": ""` on every chunk). */
function finished(choice: unknown): boolean {
  const reason = field(choice, 'finish_reason');
  return typeof reason === 'string' && reason !== '';
}

class ChatWatch implements StreamWatch {
  readonly marks = CHAT_MARKS;
  #state: 'open' | 'finished' | 'ended' = 'open';
  #usage: TokenUsage | null = null;
  #failed = false;
  #failure: StreamFailure | null = null;

  observe(event: SseEvent): EventMeaning {
    const data = event.data?.trim() ?? '';
    if (data === '[DONE]') {
      this.#state = 'ended';
      return 'end';
    }
    if (!CHAT_MAY_END.test(data) && !CHAT_USAGE.test(data)) return 'progress';
    const payload = parseJsonObject(data);
    this.#usage = tokenUsage(field(payload, 'usage')) ?? this.#usage;
    const error = field(payload, 'error');
    if (error !== undefined && error !== null) {
      this.#state = 'ended';
      this.#failed = true;
      this.#failure = failureOf(error);
      return 'end';
    }
    const choices = field(payload, 'choices');
    if (Array.isArray(choices) && choices.some(finished)) {
      this.#state = 'finished';
      return 'may-end';
    }
    return 'progress';
  }

  report(): StreamReport {
    return { usage: this.#usage, failed: this.#failed, failure: this.#failure };
  }

  closing(reason: string): SseEvent | null {
    const state = this.#state;
    this.#state = 'ended';
    switch (state) {
      case 'ended':
        return null;
      case 'finished':
        return DONE;
      case 'open':
        this.#failed = true;
        this.#failure = { code: BROKEN_STREAM_CODE, message: reason };
        return dataEvent(null, { error: { message: reason, type: 'server_error', code: BROKEN_STREAM_CODE, param: null } });
    }
  }
}
