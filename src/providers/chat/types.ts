/**
 * The API shapes the translation reads and writes, from the `openai` package (types only: the
 * Worker never bundles the SDK), widened where real providers go beyond it: `reasoning_content`
 * on assistant messages and stream deltas (DeepSeek, vLLM, Qwen), `reasoning` deltas (OpenRouter,
 * Ollama). What the provider sends back is read field by field (read.ts), never trusted to a type.
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
