/**
 * The API shapes the translation reads and writes, from the `openai` package (types only: the
 * Worker never bundles the SDK), widened where real providers go beyond it: `reasoning_content`
 * on assistant messages and stream deltas (DeepSeek, vLLM, Qwen), `reasoning` deltas (OpenRouter,
 * Ollama), DeepSeek's cache counters and Groq's usage inside `x_groq`.
 */
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionContentPartImage,
  ChatCompletionContentPartText,
  ChatCompletionCreateParamsBase,
  ChatCompletionFunctionTool,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { Response, ResponseOutputItem, ResponseUsage } from 'openai/resources/responses/responses';

export type { ChatCompletionFunctionTool, ChatCompletionMessageFunctionToolCall, ChatCompletionToolChoiceOption, Response, ResponseOutputItem, ResponseUsage };

export type ChatAssistantMessage = ChatCompletionAssistantMessageParam & { reasoning_content?: string };
export type ChatMessage = Exclude<ChatCompletionMessageParam, ChatCompletionAssistantMessageParam> | ChatAssistantMessage;
export type ChatUserPart = ChatCompletionContentPartText | ChatCompletionContentPartImage;

/** The Chat Completions request the gateway sends: only fields it sets, never a Responses-only one. */
export type ChatRequest = Pick<
  ChatCompletionCreateParamsBase,
  'model' | 'tool_choice' | 'parallel_tool_calls' | 'temperature' | 'top_p' | 'max_tokens' | 'response_format' | 'reasoning_effort' | 'stream_options'
> & { messages: ChatMessage[]; tools?: ChatCompletionFunctionTool[]; stream?: boolean };

/** The usage of a chat answer as providers send it. */
export type ChatUsage = Partial<CompletionUsage> & { prompt_cache_hit_tokens?: number };

/** One tool-call fragment of a stream delta (id, type and name come only with the first). */
export interface ChatToolCallDelta {
  readonly index?: number;
  readonly id?: string;
  readonly function?: { readonly name?: string; readonly arguments?: string };
}
