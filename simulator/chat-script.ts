/**
 * Scripted Chat Completions answers, so that a client's tool loop can be driven: each
 * `/v1/chat/completions` answer takes the next queued reply (an empty queue = the usual text).
 * A reply is built into a ChatSpec (chat.ts streams it or answers it as JSON):
 *
 * | reply | answer |
 * |---|---|
 * | `{kind:'text', text?, reasoning?}` | the text (default: the usual one), after `reasoning_content` deltas when given |
 * | `{kind:'tool-call', name, arguments, id?, text?, reasoning?}` | one tool call (finish_reason `tool_calls`), its arguments in pieces |
 * | `{kind:'quote-tool-output', prefix?}` | a text quoting the last `tool` message of the request (what the client's tool printed) |
 * | `{kind:'finish', reason, text?}` | the text, then finish_reason `length` or `content_filter` |
 */
import { expectOneOf, isRecord } from './validate';

export type ChatReply =
  | { kind: 'text'; text?: string; reasoning?: string }
  | { kind: 'tool-call'; name: string; arguments: string | Record<string, unknown>; id?: string; text?: string; reasoning?: string }
  | { kind: 'quote-tool-output'; prefix?: string }
  | { kind: 'finish'; reason: 'length' | 'content_filter'; text?: string };

export type ChatReplyKind = ChatReply['kind'];
export const CHAT_REPLY_KINDS: readonly ChatReplyKind[] = ['text', 'tool-call', 'quote-tool-output', 'finish'];

export interface ScriptedToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** What one answer says; chat.ts turns it into JSON or chunks. */
export interface ScriptedAnswer {
  text: string;
  reasoning: string | null;
  toolCalls: ScriptedToolCall[];
  finishReason: 'stop' | 'tool_calls' | 'length' | 'content_filter';
}

function optionalText(value: Record<string, unknown>, key: string): string | undefined {
  const raw = value[key];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new Error(`reply.${key} must be a string`);
  return raw;
}

/** Validates one reply (from JSON or from code); throws naming the field. */
export function parseChatReply(value: unknown): ChatReply {
  if (!isRecord(value)) throw new Error('a reply must be an object with a "kind"');
  const kind = expectOneOf(value.kind, 'reply.kind', CHAT_REPLY_KINDS);
  const text = optionalText(value, 'text');
  const reasoning = optionalText(value, 'reasoning');
  const withText = { ...(text === undefined ? {} : { text }) };
  switch (kind) {
    case 'text':
      return { kind, ...withText, ...(reasoning === undefined ? {} : { reasoning }) };
    case 'tool-call': {
      const name = optionalText(value, 'name');
      if (name === undefined || name === '') throw new Error('reply.name is required for a tool-call');
      const args = value.arguments;
      if (typeof args !== 'string' && !isRecord(args)) throw new Error('reply.arguments must be a JSON string or an object');
      const id = optionalText(value, 'id');
      return { kind, name, arguments: args, ...(id === undefined ? {} : { id }), ...withText, ...(reasoning === undefined ? {} : { reasoning }) };
    }
    case 'quote-tool-output': {
      const prefix = optionalText(value, 'prefix');
      return { kind, ...(prefix === undefined ? {} : { prefix }) };
    }
    case 'finish':
      return { kind, reason: expectOneOf(value.reason, 'reply.reason', ['length', 'content_filter'] as const), ...withText };
  }
}

/** The content of the last `tool` message of a chat request, or null. */
export function lastToolOutput(request: Record<string, unknown>): string | null {
  const messages = Array.isArray(request.messages) ? request.messages : [];
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message: unknown = messages[i];
    if (isRecord(message) && message.role === 'tool') return typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
  }
  return null;
}

/** What a reply says for this request; `usual` is the text an unscripted answer has. */
export function scriptedAnswer(reply: ChatReply | undefined, request: Record<string, unknown>, usual: string, callId: string): ScriptedAnswer {
  switch (reply?.kind) {
    case undefined:
      return { text: usual, reasoning: null, toolCalls: [], finishReason: 'stop' };
    case 'text':
      return { text: reply.text ?? usual, reasoning: reply.reasoning ?? null, toolCalls: [], finishReason: 'stop' };
    case 'tool-call': {
      const args = typeof reply.arguments === 'string' ? reply.arguments : JSON.stringify(reply.arguments);
      return {
        text: reply.text ?? '',
        reasoning: reply.reasoning ?? null,
        toolCalls: [{ id: reply.id ?? callId, name: reply.name, arguments: args }],
        finishReason: 'tool_calls',
      };
    }
    case 'quote-tool-output': {
      const output = lastToolOutput(request);
      return {
        text: `${reply.prefix ?? 'The tool printed:'} ${output === null ? '(no tool output in the request)' : output.trim()}`,
        reasoning: null,
        toolCalls: [],
        finishReason: 'stop',
      };
    }
    case 'finish':
      return { text: reply.text ?? usual, reasoning: null, toolCalls: [], finishReason: reply.reason };
  }
}
