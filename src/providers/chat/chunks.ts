/**
 * Pure: what each Chat Completions stream event means for the Responses answer being built, and
 * how a chat answer ends as a Responses one (finishOutcome):
 * - `stop`, `tool_calls`, any other benign reason (or a `[DONE]` without a finish_reason):
 *   `response.completed`;
 * - `length` (Mistral: `model_length`) and `content_filter`: the items so far are closed (the user
 *   sees the text; a tool call cut mid-way is dropped), then `response.failed` with code
 *   `invalid_prompt`, one of the codes Codex treats as final: it shows the message and stops after
 *   one request. A `response.incomplete` would make Codex retry the same request five times for
 *   the same cut;
 * - `abort` and `error` (vLLM, Mistral: the provider failed while generating): `response.failed`
 *   with the retryable `server_error`, nothing half-made kept, as for a broken stream;
 * - an error chunk (from the provider, or the gateway's own for a broken or stalled stream):
 *   `response.failed`, with the provider's code when Codex treats it as final (context length,
 *   quota, ...), `rate_limit_exceeded` for a rate limit, else `server_error`, which Codex retries;
 * - an answer past what one answer may hold (budget.ts): `response.failed` with the final
 *   `invalid_prompt` (asked again, the provider would answer as much), nothing half-made kept, as
 *   the relay ends a stream whose event is too large.
 */
import { field, isJsonObject, parseJsonObject } from '../../core/json';
import type { SseEvent } from '../../stream/sse';
import type { Explain, StreamEnd } from '../../stream/source';
import { FINAL_STREAM_CODE } from '../../stream/terminal';
import type { ResponseBuilder } from './builder';
import { list } from './read';

/** The `response.failed` codes Codex stops on (FIELD-NOTES §1). */
const FINAL_CODES: ReadonlySet<string> = new Set(['context_length_exceeded', 'insufficient_quota', 'usage_not_included', 'invalid_prompt', 'cyber_policy']);
const CONTEXT_LENGTH = /context[ _-]?(length|window)|maximum context|too many tokens|prompt is too long/i;
const RATE_LIMIT = /rate[ _-]?limit/i;

/** The code a Responses client gets for a chat error (code, type, message as the provider gave them). */
export function failureCode(code: string | null, type: string | null, message: string): string {
  if (code !== null && FINAL_CODES.has(code)) return code;
  if (CONTEXT_LENGTH.test(`${code ?? ''} ${message}`)) return 'context_length_exceeded';
  if (code === 'insufficient_quota' || type === 'insufficient_quota') return 'insufficient_quota';
  if (RATE_LIMIT.test(`${code ?? ''} ${type ?? ''}`)) return 'rate_limit_exceeded';
  return 'server_error';
}

/** How a chat answer that finished ends for the client. */
export type FinishOutcome =
  | { readonly kind: 'completed' }
  /** Cut on purpose: what was written is kept, the answer fails for good (JSON: `incomplete`, for this reason). */
  | { readonly kind: 'cut'; readonly incomplete: 'max_output_tokens' | 'content_filter'; readonly message: string }
  /** The provider failed while generating: nothing half-made is kept, the request is worth retrying. */
  | { readonly kind: 'broken'; readonly message: string };

/** Other providers' spellings of OpenAI's finish reasons. */
const FINISH_ALIASES: Readonly<Record<string, string>> = { model_length: 'length' };

export function finishOutcome(finish: string | null): FinishOutcome {
  const said = `finish_reason "${finish ?? ''}"`;
  switch (finish === null ? null : (FINISH_ALIASES[finish] ?? finish)) {
    case 'length':
      return {
        kind: 'cut',
        incomplete: 'max_output_tokens',
        message:
          `codex-edge: the provider stopped the answer at its output token limit (${said}); what it wrote is kept above. ` +
          'Raise the output limit or ask it to continue',
      };
    case 'content_filter':
      return {
        kind: 'cut',
        incomplete: 'content_filter',
        message: `codex-edge: the provider's content filter stopped the answer (${said}); what it wrote is kept above`,
      };
    case 'abort':
    case 'error':
      return {
        kind: 'broken',
        message: `codex-edge: the provider failed while writing the answer (${said}); nothing of it is kept, and the request can be retried`,
      };
    default:
      return { kind: 'completed' };
  }
}

/** How a chat answer ended for the reader: by its own end (`[DONE]`, an error chunk, the end of a JSON answer), or past its limits. */
export type ReaderEnd = Extract<StreamEnd, 'terminal' | 'too-large'>;

/** Reads one chat answer, event by event, into a ResponseBuilder. */
export class ChatReader {
  #finish: string | null = null;
  #end: ReaderEnd | null = null;

  /** explain: a short cause ("the upstream sent …") as the message of the failure the client gets. */
  constructor(
    private readonly builder: ResponseBuilder,
    private readonly explain: Explain,
  ) {}

  get ended(): boolean {
    return this.#end !== null;
  }

  get end(): ReaderEnd | null {
    return this.#end;
  }

  /** The Responses events one chat SSE event makes (none for a comment, a role chunk, a usage chunk). */
  event(event: SseEvent): SseEvent[] {
    if (this.ended || event.data === null) return [];
    const data = event.data.trim();
    if (data === '[DONE]') return this.finish();
    const chunk = parseJsonObject(data);
    if (chunk === null) return [];
    const error = chunk['error'];
    if (error !== undefined && error !== null) return this.error(error);
    const usage = chunk['usage'] ?? field(chunk['x_groq'], 'usage');
    if (isJsonObject(usage)) this.builder.setUsage(usage);
    const [choice] = list(chunk['choices']);
    if (!isJsonObject(choice)) return [];
    const events = this.delta(choice['delta'] ?? choice['message']);
    const finish = choice['finish_reason'];
    if (typeof finish === 'string' && finish !== '') this.#finish = finish;
    return events;
  }

  /** A delta (stream) or a whole message (JSON answer): reasoning, text, tool-call fragments. */
  delta(delta: unknown): SseEvent[] {
    if (!isJsonObject(delta)) return [];
    const events: SseEvent[] = [];
    for (const key of ['reasoning_content', 'reasoning']) {
      const value = delta[key];
      if (typeof value === 'string') {
        events.push(...this.builder.reasoning(value));
        break;
      }
    }
    for (const key of ['content', 'refusal']) {
      const value = delta[key];
      if (typeof value === 'string') events.push(...this.builder.text(value));
    }
    for (const [position, call] of list(delta['tool_calls']).entries()) {
      if (this.builder.overflow !== null) break;
      if (isJsonObject(call)) events.push(...this.builder.toolCall(call, position));
    }
    if (this.builder.overflow !== null) events.push(...this.#tooLarge(this.builder.overflow));
    return events;
  }

  /** The answer went past what it may hold: it fails, finally (asked again, the provider would answer as much), and nothing of it is kept. */
  #tooLarge(cause: string): SseEvent[] {
    if (this.ended) return [];
    this.#end = 'too-large';
    return this.builder.fail(FINAL_STREAM_CODE, this.explain(`the upstream ${cause}`, true), false);
  }

  /** The answer is over (`[DONE]`, or the end of a JSON answer): completed, or failed as its finish reason says. */
  finish(): SseEvent[] {
    if (this.ended) return [];
    this.#end = 'terminal';
    const outcome = finishOutcome(this.#finish);
    switch (outcome.kind) {
      case 'completed':
        return this.builder.complete();
      case 'cut':
        return this.builder.fail('invalid_prompt', outcome.message, true);
      case 'broken':
        return this.builder.fail('server_error', outcome.message, false);
    }
  }

  /** An error chunk: the provider's mid-stream error, or the gateway's for a broken or stalled stream. */
  error(error: unknown): SseEvent[] {
    if (this.ended) return [];
    this.#end = 'terminal';
    const text = (key: string): string | null => {
      const value = field(error, key);
      return typeof value === 'string' ? value : null;
    };
    const message = text('message') ?? (typeof error === 'string' ? error : 'the provider reported an error mid-stream');
    return this.builder.fail(failureCode(text('code'), text('type'), message), message, false);
  }

  setFinish(finish: string | null): void {
    this.#finish = finish;
  }
}
