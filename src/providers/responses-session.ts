/**
 * The Responses API's WebSocket mode, as the gateway serves it over HTTP-only providers. Pure.
 * A client frame is one `response.create` (the create body less its transport fields); a turn
 * that continues the connection's last response sends `previous_response_id` and only its new
 * items, and the gateway expands it into the full input from what the connection keeps: the last
 * turn's full input and the output items relayed for it (bounded: past the cap nothing is kept,
 * and a continuation is refused with `previous_response_not_found`, on which Codex resends the
 * whole request). A turn the upstream did not complete leaves the memory as it was: the
 * client's retry continues the same response. What all the connections of an isolate keep is
 * bounded too (session-budget.ts): past it a connection keeps nothing, as past its own cap. While
 * a turn runs, what it records for the memory is bounded by the same cap: an upstream that
 * streams output items without end makes the record let go of them, not grow.
 */
import { invalidRequest, previousResponseNotFound } from '../core/errors';
import { field, isJsonObject, parseJsonObject, type JsonObject } from '../core/json';
import type { SseEvent } from '../stream/sse';
import type { SessionBudget } from './session-budget';

/** A `response.create` frame, read. */
export interface CreateFrame {
  readonly document: Readonly<JsonObject>;
  readonly model: string | null;
  /** false: Codex's prewarm, answered by the gateway without an upstream request. */
  readonly generate: boolean;
}

const CREATE = 'response.create';
/** Frame fields that are the WebSocket mode's own, never sent upstream. */
const FRAME_ONLY: ReadonlySet<string> = new Set(['type', 'generate', 'previous_response_id', 'stream', 'background']);

/**
 * Whether a client frame is a `response.processed` acknowledgement (newer Codex versions send one
 * after a response's last event): it asks for nothing, so it gets no answer and is not a turn.
 */
export function isProcessedAck(text: string): boolean {
  if (text.length > 1024 || !text.includes('response.processed')) return false;
  return parseJsonObject(text)?.['type'] === 'response.processed';
}

/** Whether a text takes more than maxBytes in UTF-8. A character is 1 to 3 bytes: only a text in between is encoded to be measured. */
function overBytes(text: string, maxBytes: number): boolean {
  return text.length > maxBytes || (text.length > maxBytes / 3 && new TextEncoder().encode(text).byteLength > maxBytes);
}

/** Reads a client text frame; throws the GatewayError its error frame carries. */
export function readCreateFrame(text: string, maxBytes: number): CreateFrame {
  if (overBytes(text, maxBytes)) {
    throw invalidRequest(413, `codex-edge: the frame is larger than ${maxBytes} bytes, the most accepted (MAX_REQUEST_BODY_BYTES)`, 'frame_too_large');
  }
  const document = parseJsonObject(text);
  if (document === null) throw invalidRequest(400, 'codex-edge: a frame must be a JSON object', 'invalid_json');
  const type = document['type'];
  if (type !== CREATE) {
    const named = typeof type === 'string' ? `"${type}"` : 'none';
    throw invalidRequest(400, `codex-edge: unknown frame type ${named}; this endpoint accepts "${CREATE}"`, 'unknown_frame_type', 'type');
  }
  const model = document['model'];
  if (model !== undefined && typeof model !== 'string') throw invalidRequest(400, 'codex-edge: "model" must be a string', 'invalid_type', 'model');
  const previous = document['previous_response_id'];
  if (previous !== undefined && previous !== null && typeof previous !== 'string') {
    throw invalidRequest(400, 'codex-edge: "previous_response_id" must be a string', 'invalid_type', 'previous_response_id');
  }
  return { document, model: model ?? null, generate: document['generate'] !== false };
}

/** A frame's own input as items: a string is one user message. */
function inputItems(document: Readonly<JsonObject>): readonly unknown[] {
  const input = document['input'];
  if (input === undefined || input === null) return [];
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: input }] }];
  if (!Array.isArray(input)) throw invalidRequest(400, 'codex-edge: "input" must be a string or an array of items', 'invalid_type', 'input');
  return input;
}

/** The create body sent upstream: the frame less its own fields, the full input, `stream: true`. */
export function createBody(frame: CreateFrame, input: readonly unknown[]): JsonObject {
  const body: JsonObject = {};
  for (const [name, value] of Object.entries(frame.document)) if (!FRAME_ONLY.has(name)) body[name] = value;
  return { ...body, input, stream: true };
}

interface Remembered {
  readonly id: string;
  /**
   * The last turn's full input followed by the output items relayed for it, as JSON text: an idle
   * session holds its conversation at about its size on the wire, not as a tree of objects.
   */
  readonly conversation: string;
}

/** What one connection keeps between turns. */
export class SessionMemory {
  readonly #maxBytes: number;
  readonly #budget: SessionBudget;
  #last: Remembered | null = null;
  /** Why the last completed response is not kept (over the cap), for the error that refuses it. */
  #dropped: { readonly id: string; readonly why: string } | null = null;
  /** The connection is over: nothing is kept any more. */
  #closed = false;

  constructor(maxBytes: number, budget: SessionBudget) {
    this.#maxBytes = maxBytes;
    this.#budget = budget;
  }

  /** A turn's full input: the previous response's conversation, then the frame's own items. */
  fullInput(frame: CreateFrame): readonly unknown[] {
    const own = inputItems(frame.document);
    const previous = frame.document['previous_response_id'];
    if (typeof previous !== 'string') return own;
    if (this.#last?.id === previous) return [...(JSON.parse(this.#last.conversation) as unknown[]), ...own];
    const why = this.#dropped?.id === previous ? this.#dropped.why : 'it is not the last response this connection completed';
    throw previousResponseNotFound(previous, why);
  }

  /** A completed response: its full input and output (null: its output was over the cap already) are what the next turn may continue. */
  remember(id: string, input: readonly unknown[], output: readonly unknown[] | null): void {
    // A turn may complete after its connection closed (Codex leaves once it has the last event, while the body drains).
    if (this.#closed) return;
    this.#release();
    const conversation = output === null ? null : JSON.stringify([...input, ...output]);
    if (conversation === null || overBytes(conversation, this.#maxBytes)) {
      this.#dropped = { id, why: `the conversation is over the connection's memory of ${this.#maxBytes} bytes (WEBSOCKET_SESSION_MAX_BYTES)` };
      return;
    }
    if (!this.#budget.take(conversation.length)) {
      this.#dropped = { id, why: `the WebSocket connections of this isolate keep ${this.#budget.maxChars} characters already (WEBSOCKET_SESSIONS_MAX_BYTES)` };
      return;
    }
    this.#last = { id, conversation };
    this.#dropped = null;
  }

  /** The connection is over: what is kept goes back to the isolate's budget, and nothing is kept from now on. */
  close(): void {
    this.#closed = true;
    this.#release();
  }

  /** Lets go of what is kept, giving it back to the isolate's budget. */
  #release(): void {
    if (this.#last === null) return;
    this.#budget.release(this.#last.conversation.length);
    this.#last = null;
  }
}

/**
 * Watches a turn's relayed events for what the memory keeps: the output items and the completed
 * response's id. The items are held at most up to the memory's cap (counted by the characters of
 * the events that carry them, a little more than the items): past it the record lets go of them
 * and keeps no more, since the memory would not keep the conversation anyway.
 */
export class TurnRecord {
  readonly #maxBytes: number;
  #output: unknown[] | null = [];
  #chars = 0;
  /** Set once the turn's `response.completed` went out. */
  completedId: string | null = null;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** The output items relayed; null once they went over the cap. */
  get output(): readonly unknown[] | null {
    return this.#output;
  }

  observe(event: SseEvent): void {
    const { data } = event;
    if (data === null) return;
    if (data.includes('"response.output_item.done"')) {
      if (this.#output === null) return;
      // Characters, as a string holds them: what the record would keep.
      this.#chars += data.length;
      if (this.#chars > this.#maxBytes) {
        this.#output = null;
        return;
      }
    } else if (!data.includes('"response.completed"')) return;
    const parsed = parseJsonObject(data);
    if (parsed?.['type'] === 'response.output_item.done' && isJsonObject(parsed['item'])) {
      this.#output?.push(parsed['item']);
    } else if (parsed?.['type'] === 'response.completed') {
      const id = field(parsed['response'], 'id');
      if (typeof id === 'string') this.completedId = id;
    }
  }
}

/** The events of a prewarm (`generate: false`): an empty response, created and completed. */
export function prewarmEvents(id: string, model: string | null): readonly string[] {
  const response = { id, object: 'response', model, output: [] };
  return [
    JSON.stringify({ type: 'response.created', sequence_number: 0, response: { ...response, status: 'in_progress' } }),
    JSON.stringify({
      type: 'response.completed',
      sequence_number: 1,
      response: { ...response, status: 'completed', usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 } },
    }),
  ];
}
