/**
 * Chat Completions payloads: the `chat.completion` JSON answer and the
 * `chat.completion.chunk` SSE stream (role chunk, content deltas, finish chunk,
 * optional usage chunk, `[DONE]`), as the real API sends them.
 */
import { sseFrame } from './reply';
import { composeText, estimateTokens, randomId, splitDeltas, unixSeconds } from './text';

export interface ChatSpec {
  id: string;
  created: number;
  model: string;
  text: string;
  deltaSize: number;
  promptTokens: number;
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
  const completion = estimateTokens(spec.text);
  return { prompt_tokens: spec.promptTokens, completion_tokens: completion, total_tokens: spec.promptTokens + completion };
}

/** The JSON answer for `stream: false`. */
export function chatCompletion(spec: ChatSpec): Record<string, unknown> {
  return {
    id: spec.id,
    object: 'chat.completion',
    created: spec.created,
    model: spec.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: spec.text, refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
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
  const choice = (delta: Record<string, unknown>, finishReason: 'stop' | null = null): unknown => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finishReason,
  });

  yield chunk([choice({ role: 'assistant', content: '', refusal: null })]);
  for (const delta of splitDeltas(spec.text, spec.deltaSize)) yield chunk([choice({ content: delta })]);
  yield chunk([choice({}, 'stop')]);
  if (includeUsage) yield chunk([], usageFor(spec));
  yield sseFrame('[DONE]');
}
