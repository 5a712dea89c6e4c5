/**
 * Tool names as a Chat Completions provider accepts them (`^[a-zA-Z0-9_-]{1,64}$`), and the way
 * back. A namespaced tool `ns` / `name` becomes `ns__name` (the common convention); a name with
 * other characters, or one too long, is cleaned and given a short hash of the original, so the
 * mapping is deterministic (the same name in a tool list and in the history of calls maps the
 * same way) and two names never collide. Names that are already valid are sent as they are.
 */

export const CHAT_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** What a chat tool name stands for in the Responses API. */
export interface ToolTarget {
  /** `function`: a function tool (function_call items); `custom`: a freeform tool (custom_tool_call items, one `input` string). */
  readonly kind: 'function' | 'custom';
  readonly name: string;
  readonly namespace: string | null;
}

const SEPARATOR = '__';
const MAX = 64;

/** FNV-1a, 32 bits, in base 36: a short, stable tag for a name that had to change. */
function tag(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36).padStart(7, '0');
}

/** The chat name of a (namespaced) tool. */
export function chatToolName(namespace: string | null, name: string): string {
  const joined = namespace === null || namespace === '' ? name : `${namespace}${SEPARATOR}${name}`;
  if (CHAT_TOOL_NAME.test(joined)) return joined;
  const cleaned = joined.replace(/[^a-zA-Z0-9_-]/g, '_');
  const suffix = `_${tag(joined)}`;
  return `${cleaned.slice(0, MAX - suffix.length) || 'tool'}${suffix}`;
}

/** The tools of one request: chat name → what it stands for. */
export class ToolNames {
  readonly #targets = new Map<string, ToolTarget>();

  /** Registers a tool; returns its chat name. */
  add(target: ToolTarget): string {
    const chat = chatToolName(target.namespace, target.name);
    if (!this.#targets.has(chat)) this.#targets.set(chat, target);
    return chat;
  }

  has(chatName: string): boolean {
    return this.#targets.has(chatName);
  }

  /** What a name in the provider's answer stands for; a name the request never offered is taken as a plain function. */
  resolve(chatName: string): ToolTarget {
    return this.#targets.get(chatName) ?? { kind: 'function', name: chatName, namespace: null };
  }

  get size(): number {
    return this.#targets.size;
  }
}
