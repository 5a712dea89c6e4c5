/**
 * Builds one Responses answer out of what a Chat Completions provider says, piece by piece, as
 * the events Codex and the OpenAI SDKs accept (FIELD-NOTES §6): `response.created` and
 * `in_progress` first; every item announced (`output_item.added`) before its deltas and closed
 * (`output_item.done`) with its whole content; `sequence_number` counting up; then
 * `response.completed` with the response id, the whole output and the usage, or
 * `response.failed`. Reasoning deltas make a reasoning item with a summary; tool-call fragments
 * are keyed by the chat `index` (id and name come with the first fragment only; a fragment with
 * another id starts a new call, as providers that give parallel calls one index or none do) and
 * become `function_call` items (`namespace` for a namespaced tool) or, for a freeform tool,
 * `custom_tool_call` items with the `input` string. The same builder makes the JSON answer.
 * What the answer holds is bounded (budget.ts): past MAX_TOOL_CALLS calls, or past what the
 * largest event may carry (MAX_SSE_EVENT_BYTES), the builder takes nothing more and says why
 * (`overflow`); the reader then fails the answer. For Codex's compaction request (compaction.ts)
 * the text is not streamed: all of it, whatever reasoning comes between its pieces, is one
 * `compaction` item (Codex takes exactly one), redacted, sent when the answer completes; an answer
 * with no text fails, retryably, as one that broke.
 */
import type { Response, ResponseOutputItem, ResponseStreamEvent, ResponseUsage } from 'openai/resources/responses/responses';
import { Redactor } from '../../core/redact';
import { dataEvent, type SseEvent } from '../../stream/sse';
import { AnswerBudget, ITEM_BYTES, jsonBytes } from './budget';
import { ToolCalls, type OpenCall } from './calls';
import type { ToolNames, ToolTarget } from './names';
import { CompactionSummary } from './compaction';
import { callItem, isJson, messageItem, newId, outputText, reasoningItem, responsesUsage } from './fields';
import type { JsonObject } from './read';

/** A stream event before its sequence number is given (distributed over the union, so each type keeps its own fields). */
type Emitted = ResponseStreamEvent extends infer E ? (E extends ResponseStreamEvent ? Omit<E, 'sequence_number'> : never) : never;

interface OpenText {
  readonly kind: 'message' | 'reasoning';
  readonly id: string;
  readonly index: number;
  text: string;
}

/** Why a compaction answer without text fails (Codex would end the turn: "expected exactly one compaction output item, got 0"). */
export const NO_SUMMARY = 'codex-edge: the provider answered the compaction request without a summary; nothing is kept, and the request can be retried';

export interface BuilderInit {
  readonly model: string;
  readonly names: ToolNames;
  /** The largest event the gateway accepts (MAX_SSE_EVENT_BYTES): no event of the answer is larger. */
  readonly maxEventBytes: number;
  /** Codex's compaction request: the answer's text becomes one `compaction` item, sent whole when it ends. */
  readonly compaction?: boolean;
  /**
   * The request's secrets, taken out of a compaction item's summary before it is encoded: in
   * base64 the events' redaction could only replace the whole summary, making it unreadable.
   */
  readonly redactor?: Redactor;
  readonly now?: () => number;
}

export class ResponseBuilder {
  readonly id = newId('resp');
  readonly #model: string;
  readonly #names: ToolNames;
  readonly #createdAt: number;
  #sequence = 0;
  #nextIndex = 0;
  /** Closed items by output index. */
  readonly #done = new Map<number, ResponseOutputItem>();
  #text: OpenText | null = null;
  readonly #calls: ToolCalls;
  #usage: ResponseUsage | null = null;
  readonly #budget: AnswerBudget;
  readonly #redactor: Redactor;
  /** A compaction answer's summary (compaction.ts); null for any other answer. */
  readonly #summary: CompactionSummary | null;

  constructor(init: BuilderInit) {
    this.#model = init.model;
    this.#summary = init.compaction === true ? new CompactionSummary() : null;
    this.#redactor = init.redactor ?? Redactor.patterns;
    this.#names = init.names;
    this.#createdAt = Math.floor((init.now ?? Date.now)() / 1000);
    this.#budget = new AnswerBudget(init.maxEventBytes, init.model);
    this.#calls = new ToolCalls(this.#budget);
  }

  /** Why the answer went past its limits (to follow "the upstream …"), or null: from then on the builder takes nothing more. */
  get overflow(): string | null {
    return this.#budget.over;
  }

  #event(payload: Emitted): SseEvent {
    const event = { ...payload, sequence_number: this.#sequence };
    this.#sequence += 1;
    return dataEvent(payload.type, event);
  }

  start(): SseEvent[] {
    const response = this.response('in_progress');
    return [this.#event({ type: 'response.created', response }), this.#event({ type: 'response.in_progress', response })];
  }

  setUsage(usage: Readonly<JsonObject>): void {
    this.#usage = responsesUsage(usage);
  }

  /** Text the provider says (content, or a refusal). */
  text(delta: string): SseEvent[] {
    return delta === '' ? [] : this.#appendText('message', delta);
  }

  /** Reasoning the provider streams (`reasoning_content`, `reasoning`). */
  reasoning(delta: string): SseEvent[] {
    return delta === '' ? [] : this.#appendText('reasoning', delta);
  }

  #appendText(kind: OpenText['kind'], delta: string): SseEvent[] {
    let open = this.#text;
    // A message's text is in the largest event twice: in its item and in `output_text`.
    const summary = kind === 'message' ? this.#summary : null;
    const opens = summary === null ? open?.kind !== kind : summary.empty;
    if (!this.#budget.take(jsonBytes(delta) * (kind === 'message' ? 2 : 1) + (opens ? ITEM_BYTES : 0))) return [];
    if (summary !== null) {
      summary.add(delta);
      return this.#closeText();
    }
    const events: SseEvent[] = [];
    if (open?.kind !== kind) {
      events.push(...this.#closeText());
      open = { kind, id: newId(kind === 'message' ? 'msg' : 'rs'), index: this.#nextIndex, text: '' };
      this.#nextIndex += 1;
      this.#text = open;
      events.push(...this.#openText(open));
    }
    open.text += delta;
    const at = { item_id: open.id, output_index: open.index };
    events.push(
      kind === 'message'
        ? this.#event({ type: 'response.output_text.delta', ...at, content_index: 0, delta, logprobs: [] })
        : this.#event({ type: 'response.reasoning_summary_text.delta', ...at, summary_index: 0, delta }),
    );
    return events;
  }

  #openText(open: OpenText): SseEvent[] {
    const at = { item_id: open.id, output_index: open.index };
    if (open.kind === 'message') {
      return [
        this.#event({
          type: 'response.output_item.added',
          output_index: open.index,
          item: { type: 'message', id: open.id, role: 'assistant', status: 'in_progress', content: [] },
        }),
        this.#event({ type: 'response.content_part.added', ...at, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }),
      ];
    }
    return [
      this.#event({ type: 'response.output_item.added', output_index: open.index, item: { type: 'reasoning', id: open.id, summary: [] } }),
      this.#event({ type: 'response.reasoning_summary_part.added', ...at, summary_index: 0, part: { type: 'summary_text', text: '' } }),
    ];
  }

  #closeText(): SseEvent[] {
    const open = this.#text;
    if (open === null) return [];
    this.#text = null;
    const at = { item_id: open.id, output_index: open.index };
    if (open.kind === 'message') {
      const item = messageItem(open.id, open.text);
      this.#done.set(open.index, item);
      return [
        this.#event({ type: 'response.output_text.done', ...at, content_index: 0, text: open.text, logprobs: [] }),
        this.#event({ type: 'response.content_part.done', ...at, content_index: 0, part: { type: 'output_text', text: open.text, annotations: [] } }),
        this.#event({ type: 'response.output_item.done', output_index: open.index, item }),
      ];
    }
    const item = reasoningItem(open.id, open.text);
    this.#done.set(open.index, item);
    return [
      this.#event({ type: 'response.reasoning_summary_text.done', ...at, summary_index: 0, text: open.text }),
      this.#event({ type: 'response.reasoning_summary_part.done', ...at, summary_index: 0, part: { type: 'summary_text', text: open.text } }),
      this.#event({ type: 'response.output_item.done', output_index: open.index, item }),
    ];
  }

  /** One tool-call fragment (calls.ts); its item opens once its name is known. */
  toolCall(fragment: Readonly<JsonObject>, position: number): SseEvent[] {
    const continued = this.#calls.continued(fragment, position);
    if (continued === null) return [];
    const { call, delta } = continued;
    const events: SseEvent[] = [];
    if (call.index === null && call.name !== null) {
      const target = this.#names.resolve(call.name);
      if (!this.#budget.take(ITEM_BYTES + jsonBytes(target.name) + jsonBytes(target.namespace ?? ''))) return [];
      events.push(...this.#closeText());
      call.index = this.#nextIndex;
      this.#nextIndex += 1;
      call.callId = call.providerId ?? newId('call');
      call.id = newId(target.kind === 'custom' ? 'ctc' : 'fc');
      events.push(this.#event({ type: 'response.output_item.added', output_index: call.index, item: callItem(target, call, '', 'in_progress') }));
      if (call.args !== '' && target.kind === 'function')
        events.push(this.#event({ type: 'response.function_call_arguments.delta', item_id: call.id, output_index: call.index, delta: call.args }));
    }
    call.args += delta;
    if (call.index !== null && delta !== '' && this.#target(call).kind === 'function') {
      events.push(this.#event({ type: 'response.function_call_arguments.delta', item_id: call.id, output_index: call.index, delta }));
    }
    return events;
  }

  #target(call: OpenCall): ToolTarget {
    return this.#names.resolve(call.name ?? '');
  }

  /** Whether this is a compaction answer with no summary in it: Codex could not take it. */
  get summaryMissing(): boolean {
    return this.#summary?.missing ?? false;
  }

  /** The compaction answer's one item, after every other (its text was never streamed). */
  #closeSummary(): SseEvent[] {
    const item = this.#summary?.take(this.#redactor) ?? null;
    if (item === null) return [];
    const index = this.#nextIndex;
    this.#nextIndex += 1;
    this.#done.set(index, item);
    return [
      this.#event({ type: 'response.output_item.added', output_index: index, item }),
      this.#event({ type: 'response.output_item.done', output_index: index, item }),
    ];
  }

  /** Closes every open item; `dropBroken`: whether tool calls and a compaction summary cut short (finish_reason length) are dropped. */
  #closeAll(dropBroken: boolean): SseEvent[] {
    const events = this.#closeText();
    for (const call of this.#calls.named()) {
      if (call.index === null) continue;
      if (dropBroken && !isJson(call.args)) continue;
      const item = callItem(this.#target(call), call, call.args, 'completed');
      if (item.type === 'function_call')
        events.push(
          this.#event({
            type: 'response.function_call_arguments.done',
            item_id: call.id,
            output_index: call.index,
            name: item.name,
            arguments: item.arguments,
          }),
        );
      this.#done.set(call.index, item);
      events.push(this.#event({ type: 'response.output_item.done', output_index: call.index, item }));
    }
    this.#calls.clear();
    if (dropBroken) this.#summary?.drop(); // as a broken call is
    events.push(...this.#closeSummary());
    return events;
  }

  /** The end of a good answer: every item closed, then `response.completed`; a compaction answer with no summary fails. */
  complete(): SseEvent[] {
    if (this.summaryMissing) return this.fail('server_error', NO_SUMMARY, false);
    const events = this.#closeAll(false);
    events.push(this.#event({ type: 'response.completed', response: this.response('completed') }));
    return events;
  }

  /**
   * The end of an answer that failed. `keep`: close the items so far (an answer the provider
   * cut on purpose, whose text the user should still see; tool calls cut mid-way are dropped);
   * otherwise (a broken stream, retried by Codex) nothing half-made enters the conversation.
   */
  fail(code: string, message: string, keep: boolean): SseEvent[] {
    if (!keep) this.#forget();
    const events = keep ? this.#closeAll(true) : [];
    const response: Response = { ...this.response('failed'), error: { code: code as NonNullable<Response['error']>['code'], message } };
    events.push(this.#event({ type: 'response.failed', response }));
    return events;
  }

  /** Lets go of everything the answer held (its response object lists no output). */
  #forget(): void {
    this.#text = null;
    this.#summary?.drop();
    this.#calls.clear();
    this.#done.clear();
  }

  /** The response object: its snapshot in events, or the whole JSON answer. */
  response(status: 'in_progress' | 'completed' | 'failed' | 'incomplete', incomplete: Response['incomplete_details'] = null): Response {
    const output = [...this.#done.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
    return {
      id: this.id,
      object: 'response',
      created_at: this.#createdAt,
      status,
      model: this.#model,
      output: status === 'in_progress' ? [] : output,
      output_text: status === 'in_progress' ? '' : outputText(output),
      error: null,
      incomplete_details: incomplete,
      instructions: null,
      metadata: {},
      parallel_tool_calls: true,
      temperature: null,
      top_p: null,
      tool_choice: 'auto',
      tools: [],
      ...(this.#usage === null || status === 'in_progress' ? {} : { usage: this.#usage }),
    };
  }

  /** Closes every item without events (for the JSON answer); drops calls cut short when asked. */
  closeQuietly(dropBroken: boolean): void {
    this.#closeAll(dropBroken);
  }
}
