/**
 * Chat Completions payloads: the `chat.completion` JSON answer and the
 * `chat.completion.chunk` SSE stream (role chunk, reasoning deltas, content deltas, tool-call
 * fragments, finish chunk, optional usage chunk, `[DONE]`), as the real API and its imitators
 * send them: a tool call's id and name only in its first fragment, its arguments in pieces;
 * reasoning as `reasoning_content` deltas (DeepSeek, vLLM, Qwen).
 */
import type { ScriptedToolCall } from './chat-script';
import { sseFrame } from './reply';
import { composeText, estimateTokens, randomId, splitDeltas, unixSeconds } from './text';

export interface ChatSpec {
  id: string;
  created: number;
  model: string;
  text: string;
  deltaSize: number;
  promptTokens: number;
  /** Streamed as `reasoning_content` before the text (none by default). */
  reasoning?: string | null;
  toolCalls?: ScriptedToolCall[];
  finishReason?: 'stop' | 'tool_calls' | 'length' | 'content_filter';
}

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export function newChatSpec(model: string, requestBody: string, deltaCount: number, deltaSize: number): ChatSpec {
  return {
    id: randomId('chatcmpl-'),
    created: unixSeconds(),
    model,
    text: composeText(deltaCount, deltaSize),
    deltaSize,
    promptTokens: estimateTokens(requestBody),
  };
}

function usageFor(spec: ChatSpec): ChatUsage {
  const completion = estimateTokens(spec.text + (spec.reasoning ?? '') + (spec.toolCalls ?? []).map((call) => call.arguments).join(''));
  return { prompt_tokens: spec.promptTokens, completion_tokens: completion, total_tokens: spec.promptTokens + completion };
}

function toolCallsOf(spec: ChatSpec): { id: string; type: 'function'; function: { name: string; arguments: string } }[] | undefined {
  const calls = spec.toolCalls ?? [];
  return calls.length === 0
    ? undefined
    : calls.map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: call.arguments } }));
}

/** The JSON answer for `stream: false`. */
export function chatCompletion(spec: ChatSpec): Record<string, unknown> {
  const toolCalls = toolCallsOf(spec);
  const message: Record<string, unknown> = { role: 'assistant', content: spec.text === '' && toolCalls !== undefined ? null : spec.text, refusal: null };
  if (spec.reasoning) message.reasoning_content = spec.reasoning;
  if (toolCalls !== undefined) message.tool_calls = toolCalls;
  return {
    id: spec.id,
    object: 'chat.completion',
    created: spec.created,
    model: spec.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: spec.finishReason ?? 'stop' }],
    usage: usageFor(spec),
  };
}

/** The SSE frames for `stream: true`; with `includeUsage`, every chunk has `usage: null` and a usage chunk precedes [DONE]. */
export function* chatChunks(spec: ChatSpec, includeUsage: boolean): Generator<string> {
  const chunk = (choices: unknown[], usage?: ChatUsage): string =>
    sseFrame({
      id: spec.id,
      object: 'chat.completion.chunk',
      created: spec.created,
      model: spec.model,
      choices,
      ...(includeUsage ? { usage: usage ?? null } : {}),
    });
  const choice = (delta: Record<string, unknown>, finishReason: string | null = null): unknown => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finishReason,
  });

  yield chunk([choice({ role: 'assistant', content: '', refusal: null })]);
  if (spec.reasoning) for (const delta of splitDeltas(spec.reasoning, spec.deltaSize)) yield chunk([choice({ reasoning_content: delta })]);
  for (const delta of splitDeltas(spec.text, spec.deltaSize)) yield chunk([choice({ content: delta })]);
  for (const [index, call] of (spec.toolCalls ?? []).entries()) {
    yield chunk([choice({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] })]);
    for (const piece of splitDeltas(call.arguments, spec.deltaSize)) yield chunk([choice({ tool_calls: [{ index, function: { arguments: piece } }] })]);
  }
  yield chunk([choice({}, spec.finishReason ?? 'stop')]);
  if (includeUsage) yield chunk([], usageFor(spec));
  yield sseFrame('[DONE]');
}
