/**
 * Pure: a Responses create request as the Chat Completions request a provider with the given
 * capabilities accepts. The chat body is built from scratch, field by field, so a Responses-only
 * field (`store`, `include`, `prompt_cache_key`, `client_metadata`, `service_tier`, `truncation`,
 * `metadata`, ...) is never sent; what cannot be expressed at all (`previous_response_id`,
 * `conversation`, `background`, `prompt`) is a 400 naming it.
 */
import { REASONING_EFFORTS, type ChatCapabilities, type ReasoningEffort } from '../../config/chat-capabilities';
import { untranslatable } from '../../core/errors';
import { isCompactionTrigger } from './compaction';
import { translateMessages } from './messages';
import { ToolNames } from './names';
import { isJsonObject, list, objects, text, type JsonObject } from './read';
import { translateToolChoice, translateTools } from './tools';
import type { ChatRequest } from './types';

/** Optional fields a provider may refuse with a 400; the adapter then stops sending them (learned.ts). */
export type OptionalField = 'stream_usage' | 'parallel_tool_calls' | 'reasoning_effort' | 'strict_tools' | 'reasoning_content';

export interface ChatTranslation {
  readonly body: ChatRequest;
  readonly stream: boolean;
  readonly model: string;
  /** Chat tool names → what they stand for, to turn calls back into Responses items. */
  readonly names: ToolNames;
  /** Tool types the provider cannot run, dropped from the request. */
  readonly dropped: readonly string[];
  /** Other things changed on the way, for the log. */
  readonly notes: readonly string[];
  /** Optional fields this body carries. */
  readonly optional: ReadonlySet<OptionalField>;
  /** Whether this is Codex's compaction request: the answer's text goes back as a `compaction` item (compaction.ts). */
  readonly compaction: boolean;
}

/** Fields with no Chat Completions form whose presence changes what the client asked for. */
const UNSUPPORTED: readonly { readonly field: string; readonly why: string }[] = [
  { field: 'previous_response_id', why: 'the gateway keeps no responses; send the whole conversation in "input"' },
  { field: 'conversation', why: 'the gateway keeps no conversations; send the whole conversation in "input"' },
  { field: 'prompt', why: 'stored prompt templates exist at OpenAI only' },
];

/** The accepted effort nearest to the one asked for (ties go to the lower one); null: none fits. */
export function nearestEffort(asked: ReasoningEffort, accepted: readonly ReasoningEffort[]): ReasoningEffort | null {
  if (accepted.includes(asked)) return asked;
  if (asked === 'none') return null;
  const rank = (effort: ReasoningEffort): number => REASONING_EFFORTS.indexOf(effort);
  const candidates = accepted.filter((effort) => effort !== 'none');
  let best: ReasoningEffort | null = null;
  for (const effort of candidates) {
    const distance = Math.abs(rank(effort) - rank(asked));
    if (best === null || distance < Math.abs(rank(best) - rank(asked)) || (distance === Math.abs(rank(best) - rank(asked)) && rank(effort) < rank(best)))
      best = effort;
  }
  return best;
}

function responseFormat(textField: unknown): ChatRequest['response_format'] | undefined {
  const format = isJsonObject(textField) ? textField['format'] : undefined;
  if (!isJsonObject(format)) return undefined;
  switch (format['type']) {
    case 'json_schema': {
      const name = text(format['name']) ?? 'response';
      const schema = isJsonObject(format['schema']) ? format['schema'] : undefined;
      const description = text(format['description']);
      const strict = typeof format['strict'] === 'boolean' ? format['strict'] : undefined;
      return {
        type: 'json_schema',
        json_schema: {
          name,
          ...(schema === undefined ? {} : { schema }),
          ...(description === null ? {} : { description }),
          ...(strict === undefined ? {} : { strict }),
        },
      };
    }
    case 'json_object':
      return { type: 'json_object' };
    default:
      return undefined;
  }
}

function number(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function translateRequest(document: Readonly<JsonObject>, model: string | null, caps: ChatCapabilities): ChatTranslation {
  for (const { field, why } of UNSUPPORTED) {
    if (document[field] !== undefined && document[field] !== null) throw untranslatable(`"${field}" has no Chat Completions form (${why})`, field);
  }
  if (document['background'] === true) throw untranslatable('"background": true needs stored responses, which the gateway does not keep', 'background');
  const name = model ?? text(document['model']);
  if (name === null || name === '') throw untranslatable('"model" is required', 'model');
  const stream = document['stream'] === true;
  const optional = new Set<OptionalField>();

  const input = document['input'];
  const additional = objects(input)
    .filter((item) => item['type'] === 'additional_tools')
    .flatMap((item) => list(item['tools']));
  const names = new ToolNames();
  // A compaction request is answered with a summary: no tool is offered for it.
  const compaction = Array.isArray(input) && input.some(isCompactionTrigger);
  const toolList = compaction ? [] : [...list(document['tools']), ...additional];
  const { tools, dropped, strictSent } = translateTools(toolList, caps, names);
  if (strictSent) optional.add('strict_tools');
  const { messages, notes, reasoningSent } = translateMessages(text(document['instructions']), input, caps);
  if (reasoningSent) optional.add('reasoning_content');

  const body: ChatRequest = { model: name, messages };
  if (stream) {
    body.stream = true;
    if (caps.streamUsage) {
      body.stream_options = { include_usage: true };
      optional.add('stream_usage');
    }
  }
  if (tools.length > 0) {
    body.tools = tools;
    const choice = translateToolChoice(document['tool_choice'], names, true);
    if (choice !== undefined) body.tool_choice = choice;
    if (caps.parallelToolCalls && typeof document['parallel_tool_calls'] === 'boolean') {
      body.parallel_tool_calls = document['parallel_tool_calls'];
      optional.add('parallel_tool_calls');
    }
  }
  const temperature = number(document['temperature']);
  if (temperature !== undefined) body.temperature = temperature;
  const topP = number(document['top_p']);
  if (topP !== undefined) body.top_p = topP;
  const maxTokens = number(document['max_output_tokens']);
  // max_tokens, not OpenAI's newer max_completion_tokens: it is the one every Chat provider takes.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  if (maxTokens !== undefined) body.max_tokens = maxTokens;
  const format = responseFormat(document['text']);
  if (format !== undefined) body.response_format = format;
  const asked = isJsonObject(document['reasoning']) ? document['reasoning']['effort'] : undefined;
  const effort = REASONING_EFFORTS.find((value) => value === asked);
  if (effort !== undefined && caps.reasoningEfforts.length > 0) {
    const sent = nearestEffort(effort, caps.reasoningEfforts);
    if (sent !== null) {
      body.reasoning_effort = sent;
      optional.add('reasoning_effort');
    }
  }
  return {
    body,
    stream,
    model: name,
    names,
    dropped,
    notes: compaction ? [...notes, 'compaction_trigger answered with a summary'] : notes,
    optional,
    compaction,
  };
}
