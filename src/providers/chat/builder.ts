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
 */
import type {
  Response,
  ResponseCustomToolCall,
  ResponseFunctionToolCall,
  ResponseOutputItem,
  ResponseOutputMessage,
  ResponseReasoningItem,
  ResponseStreamEvent,
  ResponseUsage,
} from 'openai/resources/responses/responses';
import { dataEvent, type SseEvent } from '../../stream/sse';
import type { ToolNames } from './names';
import { customInput, isJson, newId, responsesUsage } from './fields';
import { integer, isJsonObject, text, type JsonObject } from './read';

/** A stream event before its sequence number is given (distributed over the union, so each type keeps its own fields). */
type Emitted = ResponseStreamEvent extends infer E ? (E extends ResponseStreamEvent ? Omit<E, 'sequence_number'> : never) : never;

interface OpenText {
  readonly kind: 'message' | 'reasoning';
  readonly id: string;
  readonly index: number;
  text: string;
}

interface OpenCall {
  /** Output index, once the call is named and announced. */
  index: number | null;
  id: string;
  /** The id the provider gave the call, if any. */
  providerId: string | null;
  /** The call_id Codex gets: the provider's, or one made up when the call is announced without one. */
  callId: string | null;
  name: string | null;
  args: string;
}

/** Whether a fragment (its non-empty id, if any) begins another call than the one open at its index. */
function startsNewCall(open: OpenCall, id: string | null): boolean {
  return id !== null && open.providerId !== null && id !== open.providerId;
}

const nonEmpty = (value: string | null): string | null => (value === '' ? null : value);

export interface BuilderInit {
  readonly model: string;
  readonly names: ToolNames;
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
  /** Every call, in the order the provider began them. */
  readonly #calls: OpenCall[] = [];
  /** The call each chat index continues. */
  readonly #byIndex = new Map<number, OpenCall>();
  #usage: ResponseUsage | null = null;

  constructor(init: BuilderInit) {
    this.#model = init.model;
    this.#names = init.names;
    this.#createdAt = Math.floor((init.now ?? Date.now)() / 1000);
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
    const events: SseEvent[] = [];
    let open = this.#text;
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
      const item: ResponseOutputMessage = {
        type: 'message',
        id: open.id,
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: open.text, annotations: [] }],
      };
      this.#done.set(open.index, item);
      return [
        this.#event({ type: 'response.output_text.done', ...at, content_index: 0, text: open.text, logprobs: [] }),
        this.#event({ type: 'response.content_part.done', ...at, content_index: 0, part: { type: 'output_text', text: open.text, annotations: [] } }),
        this.#event({ type: 'response.output_item.done', output_index: open.index, item }),
      ];
    }
    const item: ResponseReasoningItem = { type: 'reasoning', id: open.id, summary: [{ type: 'summary_text', text: open.text }] };
    this.#done.set(open.index, item);
    return [
      this.#event({ type: 'response.reasoning_summary_text.done', ...at, summary_index: 0, text: open.text }),
      this.#event({ type: 'response.reasoning_summary_part.done', ...at, summary_index: 0, part: { type: 'summary_text', text: open.text } }),
      this.#event({ type: 'response.output_item.done', output_index: open.index, item }),
    ];
  }

  /** One tool-call fragment (`{index, id?, function: {name?, arguments}}`); its item opens once its name is known. */
  toolCall(fragment: Readonly<JsonObject>, position: number): SseEvent[] {
    const chatIndex = integer(fragment['index']) ?? position;
    const fn = isJsonObject(fragment['function']) ? fragment['function'] : {};
    const id = nonEmpty(text(fragment['id']));
    const name = nonEmpty(text(fn['name']));
    let call = this.#byIndex.get(chatIndex);
    if (call === undefined || startsNewCall(call, id)) {
      call = { index: null, id: '', providerId: null, callId: null, name: null, args: '' };
      this.#calls.push(call);
      this.#byIndex.set(chatIndex, call);
    }
    call.providerId ??= id;
    call.name ??= name;
    const delta = text(fn['arguments']) ?? '';
    const events: SseEvent[] = [];
    if (call.index === null && call.name !== null) {
      events.push(...this.#closeText());
      call.index = this.#nextIndex;
      this.#nextIndex += 1;
      call.callId = call.providerId ?? newId('call');
      const target = this.#names.resolve(call.name);
      call.id = newId(target.kind === 'custom' ? 'ctc' : 'fc');
      events.push(this.#event({ type: 'response.output_item.added', output_index: call.index, item: this.#callItem(call, '', 'in_progress') }));
      if (call.args !== '' && target.kind === 'function')
        events.push(this.#event({ type: 'response.function_call_arguments.delta', item_id: call.id, output_index: call.index, delta: call.args }));
    }
    call.args += delta;
    if (call.index !== null && delta !== '' && this.#names.resolve(call.name ?? '').kind === 'function') {
      events.push(this.#event({ type: 'response.function_call_arguments.delta', item_id: call.id, output_index: call.index, delta }));
    }
    return events;
  }

  #callItem(call: OpenCall, args: string, status: 'in_progress' | 'completed'): ResponseFunctionToolCall | ResponseCustomToolCall {
    const target = this.#names.resolve(call.name ?? '');
    const namespace = target.namespace === null ? {} : { namespace: target.namespace };
    if (target.kind === 'custom')
      return {
        type: 'custom_tool_call',
        id: call.id,
        call_id: call.callId ?? '',
        name: target.name,
        input: status === 'completed' ? customInput(args) : '',
        ...namespace,
      };
    // A function called without arguments gets an empty object (a freeform tool keeps its empty input).
    const argsText = status === 'completed' && args === '' ? '{}' : args;
    return { type: 'function_call', id: call.id, call_id: call.callId ?? '', name: target.name, arguments: argsText, status, ...namespace };
  }

  /** Closes every open item; `dropBroken`: whether tool calls cut short (finish_reason length) are dropped. */
  #closeAll(dropBroken: boolean): SseEvent[] {
    const events = this.#closeText();
    for (const call of [...this.#calls].sort((a, b) => (a.index ?? Infinity) - (b.index ?? Infinity))) {
      if (call.index === null) continue; // never named: nothing Codex could run
      if (dropBroken && !isJson(call.args)) continue;
      const item = this.#callItem(call, call.args, 'completed');
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
    this.#calls.length = 0;
    this.#byIndex.clear();
    return events;
  }

  /** The end of a good answer: every item closed, then `response.completed`. */
  complete(): SseEvent[] {
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
    const events = keep ? this.#closeAll(true) : [];
    const response: Response = { ...this.response('failed'), error: { code: code as NonNullable<Response['error']>['code'], message } };
    events.push(this.#event({ type: 'response.failed', response }));
    return events;
  }

  /** The response object: its snapshot in events, or the whole JSON answer. */
  response(status: 'in_progress' | 'completed' | 'failed' | 'incomplete', incomplete: Response['incomplete_details'] = null): Response {
    const output = [...this.#done.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
    const text = output.flatMap((item) => (item.type === 'message' ? item.content.map((part) => (part.type === 'output_text' ? part.text : '')) : [])).join('');
    return {
      id: this.id,
      object: 'response',
      created_at: this.#createdAt,
      status,
      model: this.#model,
      output: status === 'in_progress' ? [] : output,
      output_text: status === 'in_progress' ? '' : text,
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
