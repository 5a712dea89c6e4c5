/**
 * The tool calls of one chat answer as the provider streams them, in fragments: which call each
 * fragment continues. Fragments are keyed by the chat `index` (one without: by its place in its
 * chunk); a call's id and name come with its first fragment only, and a fragment with a non-empty
 * id other than its call's starts a new call (vLLM and Ollama give parallel calls one index,
 * Gemini none). Everything a fragment brings is taken from the answer's budget first (budget.ts).
 */
import { jsonBytes, type AnswerBudget } from './budget';
import { integer, isJsonObject, text, type JsonObject } from './read';

export interface OpenCall {
  /** Output index, once the call is named and announced. */
  index: number | null;
  /** Item id, once announced. */
  id: string;
  /** The id the provider gave the call, if any. */
  providerId: string | null;
  /** The call_id Codex gets, once announced: the provider's, or one made up. */
  callId: string;
  name: string | null;
  args: string;
}

const nonEmpty = (value: string | null): string | null => (value === '' ? null : value);

/** What a value the provider gives once costs: its bytes when it is new, else nothing. */
const fresh = (value: string | null, known: string | null): number => (value !== null && known === null ? jsonBytes(value) : 0);

export class ToolCalls {
  /** Every call, in the order the provider began them. */
  readonly #all: OpenCall[] = [];
  /** The call each chat index continues. */
  readonly #byIndex = new Map<number, OpenCall>();

  constructor(private readonly budget: AnswerBudget) {}

  /**
   * The call a fragment (`{index, id?, function: {name?, arguments}}`) continues, its id and name
   * taken in, and the arguments it adds (left for the caller to append); null once the budget is over.
   */
  continued(fragment: Readonly<JsonObject>, position: number): { readonly call: OpenCall; readonly delta: string } | null {
    const chatIndex = integer(fragment['index']) ?? position;
    const fn = isJsonObject(fragment['function']) ? fragment['function'] : {};
    const id = nonEmpty(text(fragment['id']));
    const name = nonEmpty(text(fn['name']));
    const delta = text(fn['arguments']) ?? '';
    let call = this.#byIndex.get(chatIndex);
    // Another id with a name is another call (parallel calls sharing an index, or carrying none);
    // another id alone is the same call (some providers change the id between its fragments).
    if (call === undefined || (id !== null && name !== null && call.providerId !== null && id !== call.providerId)) {
      if (!this.budget.call()) return null;
      call = { index: null, id: '', providerId: null, callId: '', name: null, args: '' };
      this.#all.push(call);
      this.#byIndex.set(chatIndex, call);
    }
    if (!this.budget.take(jsonBytes(delta) + fresh(id, call.providerId) + fresh(name, call.name))) return null;
    call.providerId ??= id;
    call.name ??= name;
    return { call, delta };
  }

  /** The calls that were named (never named: nothing Codex could run), by output index. */
  named(): OpenCall[] {
    return this.#all.filter((call) => call.index !== null).sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  }

  clear(): void {
    this.#all.length = 0;
    this.#byIndex.clear();
  }
}
