/**
 * Pure: the Responses `instructions` and `input` as Chat Completions messages that the strictest
 * providers take:
 * - `instructions` and every `developer`/`system` message go, in order, into one leading system
 *   message (unless the provider takes the `developer` role or system messages anywhere);
 * - user and assistant messages keep their text (and a user's images); consecutive user messages
 *   are merged, so templates that want roles to alternate accept them;
 * - `function_call` / `custom_tool_call` items become the `tool_calls` of one assistant message
 *   (consecutive calls merged), answered at once, in the calls' order, by one `tool` message each
 *   (`function_call_output` / `custom_tool_call_output`: each call's is the first output of its
 *   `call_id` after it that no earlier call took, as providers reuse ids across turns); a call
 *   without an output gets a stand-in, so no call is ever left unanswered;
 * - `reasoning` items are dropped, or given back as `reasoning_content` where the provider needs it;
 * - Codex's `compaction_trigger` becomes a user message asking for a summary, and a `compaction`
 *   item the gateway made a user message holding its summary (compaction.ts).
 * Anything else is a 400 naming the item.
 */
import type { ChatCapabilities } from '../../config/chat-capabilities';
import { untranslatable } from '../../core/errors';
import { COMPACTION_TRIGGER, compactionSummary, SUMMARY_REQUEST, summaryMessage } from './compaction';
import { chatToolName } from './names';
import { argumentsText, isJsonObject, objects, partsText, text, type JsonObject } from './read';
import type { ChatAssistantMessage, ChatCompletionMessageFunctionToolCall, ChatMessage, ChatUserPart } from './types';

export interface TranslatedMessages {
  readonly messages: ChatMessage[];
  /** Input items that were changed or dropped on the way (for the log). */
  readonly notes: string[];
  /** Whether reasoning was given back as `reasoning_content`. */
  readonly reasoningSent: boolean;
}

/** What a call without an output gets, so that no tool call is left unanswered. */
export const MISSING_OUTPUT = 'codex-edge: no output was recorded for this tool call.';

/** Items that carry nothing a Chat provider can use: skipped without a word. */
const SKIPPED: ReadonlySet<string> = new Set(['additional_tools']);
/** Items of hosted tools whose results already are in the conversation's text: dropped, noted. */
const DROPPED: ReadonlySet<string> = new Set(['web_search_call', 'file_search_call', 'image_generation_call', 'code_interpreter_call']);

interface Pending {
  readonly content: string[];
  readonly calls: ChatCompletionMessageFunctionToolCall[];
  /** Each call's output item, if it has one. */
  readonly outputs: (JsonObject | null)[];
}

const isOutput = (item: JsonObject): boolean => item['type'] === 'function_call_output' || item['type'] === 'custom_tool_call_output';
const isCall = (item: JsonObject): boolean => item['type'] === 'function_call' || item['type'] === 'custom_tool_call';

/**
 * Each call's output, by the positions of both in the input: the first output of the call's
 * `call_id` that follows it and that no earlier call took. Ids repeat across turns (Kimi's
 * `list_dir:0`, grok's `call_0`), so a later call never gets an earlier call's output.
 */
export function pairCalls(items: readonly unknown[]): ReadonlyMap<number, number> {
  /** The calls of each id not yet answered, from `next` on (a head index: `shift()` made many calls of one id quadratic). */
  const waiting = new Map<string, { readonly calls: number[]; next: number }>();
  const pairs = new Map<number, number>();
  items.forEach((item, position) => {
    const id = isJsonObject(item) ? text(item['call_id']) : null;
    if (!isJsonObject(item) || id === null) return;
    const queue = waiting.get(id) ?? { calls: [], next: 0 };
    waiting.set(id, queue);
    if (isCall(item)) queue.calls.push(position);
    const call = isOutput(item) ? queue.calls[queue.next] : undefined;
    if (call === undefined) return;
    queue.next += 1;
    pairs.set(call, position);
  });
  return pairs;
}

function userContent(content: unknown, param: string): string | ChatUserPart[] {
  if (typeof content === 'string') return content;
  const parts: ChatUserPart[] = [];
  objects(content).forEach((part, index) => {
    const type = text(part['type']);
    const where = `${param}.content[${index}]`;
    if (type === 'input_text' || type === 'output_text' || type === 'text') parts.push({ type: 'text', text: text(part['text']) ?? '' });
    else if (type === 'input_image') {
      const url = text(part['image_url']);
      if (url === null)
        throw untranslatable(`${where} is an image given by file_id, which a Chat Completions provider cannot fetch; send it as an image_url`, where);
      const detail = part['detail'];
      parts.push({ type: 'image_url', image_url: { url, ...(detail === 'low' || detail === 'high' || detail === 'auto' ? { detail } : {}) } });
    } else throw untranslatable(`${where} has type "${type ?? 'none'}", which has no Chat Completions form here`, where);
  });
  return parts.every((part) => part.type === 'text') ? parts.map((part) => part.text).join('\n') : parts;
}

/** A tool output's text, and its images (which a `tool` message cannot carry). */
function toolOutput(output: unknown): { text: string; images: ChatUserPart[] } {
  if (typeof output === 'string') return { text: output, images: [] };
  const images: ChatUserPart[] = [];
  for (const part of objects(output)) {
    const url = part['type'] === 'input_image' ? text(part['image_url']) : null;
    if (url !== null) images.push({ type: 'image_url', image_url: { url } });
  }
  return { text: partsText(output), images };
}

export function translateMessages(instructions: string | null, input: unknown, caps: ChatCapabilities): TranslatedMessages {
  const items: unknown[] =
    typeof input === 'string'
      ? [{ type: 'message', role: 'user', content: input }]
      : input === undefined || input === null
        ? []
        : Array.isArray(input)
          ? input
          : [];
  if (!Array.isArray(input) && typeof input !== 'string' && input !== undefined && input !== null)
    throw untranslatable('"input" must be a string or an array of items', 'input');

  const pairs = pairCalls(items);
  const paired = new Set(pairs.values());
  const system: string[] = instructions === null || instructions === '' ? [] : [instructions];
  const messages: ChatMessage[] = [];
  const notes: string[] = [];
  let reasoning: string[] = [];
  let reasoningSent = false;
  let pending: Pending | null = null;

  const note = (what: string): void => {
    if (!notes.includes(what)) notes.push(what);
  };

  const flush = (): void => {
    if (pending === null) return;
    const { content, calls, outputs } = pending;
    pending = null;
    if (content.length === 0 && calls.length === 0) {
      note('empty assistant messages dropped');
      return;
    }
    const message: ChatAssistantMessage = { role: 'assistant', content: content.length > 0 ? content.join('\n\n') : null };
    if (calls.length > 0) message.tool_calls = calls;
    if (caps.reasoningContent && reasoning.length > 0) {
      message.reasoning_content = reasoning.join('\n\n');
      reasoningSent = true;
    }
    reasoning = [];
    messages.push(message);
    const images: ChatUserPart[] = [];
    calls.forEach((call, n) => {
      const output = outputs[n] ?? null;
      if (output === null) note('a tool call without output got a stand-in tool message');
      const result = output === null ? { text: MISSING_OUTPUT, images: [] } : toolOutput(output['output']);
      images.push(...result.images);
      messages.push({ role: 'tool', tool_call_id: call.id, content: result.text });
    });
    if (images.length > 0) messages.push({ role: 'user', content: [{ type: 'text', text: 'Images returned by the tool calls above:' }, ...images] });
  };

  const pushUser = (content: string | ChatUserPart[]): void => {
    flush();
    const last = messages.at(-1);
    if (last?.role !== 'user') {
      messages.push({ role: 'user', content });
      return;
    }
    const asParts = (value: string | ChatUserPart[]): ChatUserPart[] => (typeof value === 'string' ? [{ type: 'text', text: value }] : value);
    const before = last.content as string | ChatUserPart[];
    if (typeof before === 'string' && typeof content === 'string') {
      last.content = `${before}\n\n${content}`;
      return;
    }
    // Appended in place (the parts are this translation's own): a copy per message was quadratic in their number.
    const parts = asParts(before);
    for (const part of asParts(content)) parts.push(part);
    last.content = parts;
  };

  const pushSystem = (role: 'system' | 'developer', content: string): void => {
    const leading = messages.length === 0 && pending === null;
    if (role === 'developer' && caps.developerRole && !leading) {
      flush();
      messages.push({ role: 'developer', content });
    } else if (leading || !caps.systemAnywhere) system.push(content);
    else {
      flush();
      messages.push({ role: 'system', content });
    }
  };

  const call = (id: string, name: string, args: string, position: number): void => {
    pending ??= { content: [], calls: [], outputs: [] };
    pending.calls.push({ id, type: 'function', function: { name, arguments: args } });
    const at = pairs.get(position);
    const output = at === undefined ? null : items[at];
    pending.outputs.push(isJsonObject(output) ? output : null);
  };

  items.forEach((raw, index) => {
    const param = `input[${index}]`;
    if (!isJsonObject(raw)) throw untranslatable(`${param} is not an object`, param);
    const type = text(raw['type']) ?? (raw['role'] !== undefined ? 'message' : null);
    switch (type) {
      case 'message': {
        const role = text(raw['role']);
        if (role === 'system' || role === 'developer') pushSystem(role, partsText(raw['content'], '\n\n'));
        else if (role === 'user') pushUser(userContent(raw['content'], param));
        else if (role === 'assistant') {
          if (pending !== null && pending.calls.length > 0) flush();
          pending ??= { content: [], calls: [], outputs: [] };
          const content = partsText(raw['content']);
          if (content !== '') pending.content.push(content);
        } else throw untranslatable(`${param} is a message with role "${role ?? 'none'}"`, param);
        return;
      }
      case 'reasoning': {
        if (pending !== null) flush();
        const said = [partsText(raw['summary'], '\n\n'), partsText(raw['content'], '\n\n')].filter((part) => part !== '');
        if (said.length > 0) reasoning.push(said.join('\n\n'));
        if (!caps.reasoningContent) note('reasoning items dropped');
        return;
      }
      case 'function_call':
      case 'custom_tool_call': {
        const id = text(raw['call_id']);
        const name = text(raw['name']);
        if (id === null || name === null) throw untranslatable(`${param} (${type}) needs a call_id and a name`, param);
        const args = type === 'custom_tool_call' ? JSON.stringify({ input: text(raw['input']) ?? '' }) : argumentsText(raw['arguments']);
        call(id, chatToolName(text(raw['namespace']), name), args, index);
        return;
      }
      case 'function_call_output':
      case 'custom_tool_call_output': {
        flush();
        const id = text(raw['call_id']);
        if (id === null) throw untranslatable(`${param} (${type}) has no call_id`, param);
        if (paired.has(index)) return;
        // An output with no call before it to answer: a tool message would be refused without its call.
        note('a tool output without its call was sent as a user message');
        pushUser(`Output of tool call ${id}:\n${toolOutput(raw['output']).text}`);
        return;
      }
      case COMPACTION_TRIGGER:
        pushUser(SUMMARY_REQUEST);
        return;
      case 'compaction': {
        const summary = compactionSummary(raw['encrypted_content']);
        if (summary === null)
          throw untranslatable(
            `${param} is a compaction item another provider made (its content is opaque), which a Chat Completions provider cannot read; start a new session`,
            param,
          );
        pushUser(summaryMessage(summary));
        return;
      }
      default:
        if (type !== null && SKIPPED.has(type)) return;
        if (type !== null && DROPPED.has(type)) {
          note(`${type} items dropped`);
          return;
        }
        throw untranslatable(`${param} has type "${type ?? 'none'}", which has no Chat Completions form`, param);
    }
  });
  flush();
  if (reasoning.length > 0 && caps.reasoningContent) note('reasoning without a following answer dropped');
  const leading: ChatMessage[] = system.length > 0 ? [{ role: 'system', content: system.join('\n\n') }] : [];
  if (leading.length + messages.length === 0) throw untranslatable('"input" holds no message a Chat Completions provider can take', 'input');
  return { messages: [...leading, ...messages], notes, reasoningSent };
}
