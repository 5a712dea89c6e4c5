/**
 * Pure: the Responses `tools` (top level and `additional_tools` input items) and `tool_choice`
 * as Chat Completions function tools. Function tools keep their schema (`strict` only where the
 * provider takes it); a `namespace` tool's functions are flattened to `ns__name`; a `custom`
 * (freeform) tool becomes a function with one string argument, `input`, its grammar in the
 * description; hosted tools the provider cannot run (`web_search`, ...) are dropped and listed.
 */
import type { ChatCapabilities } from '../../config/chat-capabilities';
import { untranslatable } from '../../core/errors';
import type { ToolNames } from './names';
import { isJsonObject, objects, text, type JsonObject } from './read';
import type { ChatCompletionFunctionTool, ChatCompletionToolChoiceOption } from './types';

export interface TranslatedTools {
  readonly tools: ChatCompletionFunctionTool[];
  /** Tool types dropped (the provider cannot run them), once each. */
  readonly dropped: string[];
  /** Whether a `strict` flag was sent. */
  readonly strictSent: boolean;
}

const EMPTY_SCHEMA = { type: 'object', properties: {} };
/** The longest grammar put into a custom tool's description. */
const MAX_GRAMMAR_CHARS = 8_000;

function customParameters(format: unknown): { description: string; parameters: Record<string, unknown> } {
  const grammar = isJsonObject(format) && format['type'] === 'grammar' ? text(format['definition']) : null;
  const syntax = isJsonObject(format) ? (text(format['syntax']) ?? 'lark') : 'lark';
  const description =
    grammar === null
      ? 'The raw input of this freeform tool, as plain text.'
      : `The raw input of this freeform tool. It must follow this ${syntax} grammar:\n${grammar.slice(0, MAX_GRAMMAR_CHARS)}`;
  return {
    description,
    parameters: { type: 'object', properties: { input: { type: 'string', description } }, required: ['input'], additionalProperties: false },
  };
}

/** How a dropped tool type is named in a response header and the log line: the client's text only when it is a plain name. */
const DROPPED_NAME = /^[\w./-]{1,64}$/;
/** Dropped types listed at most (the rest is counted): a header holds them. */
const DROPPED_LISTED = 32;

function droppedList(dropped: ReadonlySet<string>): string[] {
  const names = [...dropped].map((name) => (DROPPED_NAME.test(name) ? name : 'unnamed'));
  const listed = [...new Set(names)].slice(0, DROPPED_LISTED);
  return dropped.size > listed.length ? [...listed, `${dropped.size - listed.length} more`] : listed;
}

export function translateTools(list: readonly unknown[], caps: ChatCapabilities, names: ToolNames): TranslatedTools {
  const tools: ChatCompletionFunctionTool[] = [];
  /** A set, not an array searched per tool: a body of many tools of distinct types made that quadratic. */
  const dropped = new Set<string>();
  const seen = new Set<string>();
  let strictSent = false;

  const addFunction = (tool: JsonObject, namespace: string | null, param: string): void => {
    const name = text(tool['name']);
    if (name === null || name === '') throw untranslatable(`${param} has no name`, param);
    const chatName = names.add({ kind: 'function', name, namespace });
    if (seen.has(chatName)) return;
    seen.add(chatName);
    const description = text(tool['description']);
    const parameters = isJsonObject(tool['parameters']) ? tool['parameters'] : EMPTY_SCHEMA;
    const strict = caps.strictTools && typeof tool['strict'] === 'boolean' ? { strict: tool['strict'] } : {};
    if ('strict' in strict) strictSent = true;
    tools.push({ type: 'function', function: { name: chatName, ...(description === null ? {} : { description }), parameters, ...strict } });
  };

  const addCustom = (tool: JsonObject, namespace: string | null, param: string): void => {
    const name = text(tool['name']);
    if (name === null || name === '') throw untranslatable(`${param} has no name`, param);
    const chatName = names.add({ kind: 'custom', name, namespace });
    if (seen.has(chatName)) return;
    seen.add(chatName);
    const { description, parameters } = customParameters(tool['format']);
    const own = text(tool['description']);
    tools.push({ type: 'function', function: { name: chatName, description: own === null ? description : `${own}\n\n${description}`, parameters } });
  };

  list.forEach((tool, index) => {
    const param = `tools[${index}]`;
    if (!isJsonObject(tool)) throw untranslatable(`${param} is not an object`, param);
    const type = text(tool['type']);
    switch (type) {
      case 'function':
        addFunction(tool, null, param);
        return;
      case 'custom':
        addCustom(tool, null, param);
        return;
      case 'namespace': {
        const namespace = text(tool['name']);
        if (namespace === null || namespace === '') throw untranslatable(`${param} is a namespace without a name`, param);
        objects(tool['tools']).forEach((inner, innerIndex) => {
          const innerParam = `${param}.tools[${innerIndex}]`;
          if (inner['type'] === 'custom') addCustom(inner, namespace, innerParam);
          else if (inner['type'] === 'function') addFunction(inner, namespace, innerParam);
          else dropped.add(`${namespace}/${String(inner['type'])}`);
        });
        return;
      }
      default:
        // Hosted tools (web_search, file_search, code_interpreter, image_generation, mcp, ...) run at OpenAI only.
        dropped.add(type ?? 'unknown');
    }
  });
  return { tools, dropped: droppedList(dropped), strictSent };
}

/** The chat tool_choice; undefined when there is none or no tool is left to choose. */
export function translateToolChoice(choice: unknown, names: ToolNames, hasTools: boolean): ChatCompletionToolChoiceOption | undefined {
  if (choice === undefined || choice === null || !hasTools) return undefined;
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
  if (!isJsonObject(choice)) throw untranslatable(`tool_choice ${JSON.stringify(choice)} is not a known choice`, 'tool_choice');
  const type = text(choice['type']);
  const name = text(choice['name']);
  if ((type === 'function' || type === 'custom') && name !== null) {
    const chatName = names.add({ kind: type, name, namespace: null });
    return { type: 'function', function: { name: chatName } };
  }
  if (type === 'allowed_tools') return choice['mode'] === 'required' ? 'required' : 'auto';
  // A hosted tool the provider cannot run (and which was dropped): let the model choose.
  return 'auto';
}
