/**
 * The rules of the strictest Chat Completions providers, each refused with a 400 the way real
 * ones word it (FIELD-NOTES §6): the `developer` role (DeepSeek, DashScope), a system message
 * that is not first (Qwen / Llama / llama.cpp templates), a tool that is not a `function`
 * (llama.cpp, vLLM), an unknown top-level field (Groq), a tool name outside
 * `^[a-zA-Z0-9_-]{1,64}$`, a tool call not answered by its tool message before the conversation
 * goes on (DeepSeek's "insufficient tool messages"), plus any field named in `rejectFields`
 * (`stream_options` for LM Studio / TGI, `strict` for xAI, ...). Pure and free of Node APIs:
 * the simulator's strict mode and the gateway's property tests share it.
 */

export interface StrictViolation {
  readonly message: string;
  readonly param: string | null;
}

export interface StrictOptions {
  /** Fields refused on top of the rules: top-level names, or `strict` (inside a tool's function). */
  readonly rejectFields?: readonly string[];
}

export const CHAT_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const TOP_LEVEL: ReadonlySet<string> = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'response_format',
  'reasoning_effort',
  'stop',
  'n',
  'seed',
  'user',
  'frequency_penalty',
  'presence_penalty',
  'logprobs',
  'top_logprobs',
  'logit_bias',
]);
const ROLES: ReadonlySet<string> = new Set(['system', 'user', 'assistant', 'tool']);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const violation = (message: string, param: string | null = null): StrictViolation => ({ message, param });

function checkContent(message: Json, index: number): StrictViolation | null {
  const role = message['role'];
  const content = message['content'];
  const param = `messages[${index}].content`;
  if (role === 'assistant') {
    if (content !== null && content !== undefined && typeof content !== 'string')
      return violation(`${param}: an assistant message's content must be a string or null`, param);
    if ((content === null || content === undefined || content === '') && !Array.isArray(message['tool_calls']))
      return violation(`${param}: an assistant message needs content or tool_calls`, param);
    return null;
  }
  if (role === 'tool' || role === 'system')
    return typeof content === 'string' ? null : violation(`${param}: a ${role} message's content must be a string`, param);
  if (typeof content === 'string') return null;
  if (!Array.isArray(content) || content.length === 0) return violation(`${param}: must be a string or a non-empty array of parts`, param);
  const bad = content.findIndex(
    (part) => !isObject(part) || (part['type'] === 'text' ? typeof part['text'] !== 'string' : part['type'] !== 'image_url' || !isObject(part['image_url'])),
  );
  return bad === -1 ? null : violation(`${param}[${bad}]: unknown content part (expected text or image_url)`, `${param}[${bad}]`);
}

function checkMessages(messages: unknown): StrictViolation | null {
  if (!Array.isArray(messages) || messages.length === 0) return violation("'messages' must be a non-empty array", 'messages');
  let waiting: string[] = [];
  for (const [index, message] of messages.entries()) {
    if (!isObject(message)) return violation(`messages[${index}] must be an object`, `messages[${index}]`);
    const role = message['role'];
    if (typeof role !== 'string' || !ROLES.has(role)) {
      return violation(
        `Failed to deserialize the JSON body into the target type: messages[${index}]: unknown variant \`${String(role)}\`, ` +
          'expected one of `system`, `user`, `assistant`, `tool`',
        `messages[${index}].role`,
      );
    }
    if (role === 'system' && index > 0) return violation('System message must be at the beginning.', `messages[${index}]`);
    if (role === 'tool') {
      const id = message['tool_call_id'];
      if (typeof id !== 'string' || !waiting.includes(id))
        return violation("Messages with role 'tool' must be a response to a preceding message with 'tool_calls'.", `messages[${index}]`);
      waiting = waiting.filter((other) => other !== id);
    } else if (waiting.length > 0) {
      return violation(
        "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. " +
          `The following tool_call_ids did not have response messages: ${waiting.join(', ')}`,
        `messages[${index}]`,
      );
    }
    const content = checkContent(message, index);
    if (content !== null) return content;
    if (role === 'assistant' && Array.isArray(message['tool_calls'])) {
      for (const [callIndex, call] of message['tool_calls'].entries()) {
        const fn = isObject(call) ? call['function'] : undefined;
        if (
          !isObject(call) ||
          call['type'] !== 'function' ||
          typeof call['id'] !== 'string' ||
          !isObject(fn) ||
          typeof fn['name'] !== 'string' ||
          typeof fn['arguments'] !== 'string'
        ) {
          return violation(
            `messages[${index}].tool_calls[${callIndex}] must be {id, type: "function", function: {name, arguments}}`,
            `messages[${index}].tool_calls[${callIndex}]`,
          );
        }
        if (!CHAT_TOOL_NAME.test(fn['name']))
          return violation(
            `messages[${index}].tool_calls[${callIndex}].function.name must match ^[a-zA-Z0-9_-]{1,64}$`,
            `messages[${index}].tool_calls[${callIndex}].function.name`,
          );
        waiting.push(call['id']);
      }
    }
  }
  return waiting.length === 0 ? null : violation(`insufficient tool messages following tool_calls message: ${waiting.join(', ')}`, 'messages');
}

function checkTools(tools: unknown, reject: ReadonlySet<string>): StrictViolation | null {
  if (tools === undefined) return null;
  if (!Array.isArray(tools)) return violation("'tools' must be an array", 'tools');
  for (const [index, tool] of tools.entries()) {
    const param = `tools[${index}]`;
    if (!isObject(tool) || tool['type'] !== 'function')
      return violation(`${param}.type: only "function" tools are supported, got ${JSON.stringify(isObject(tool) ? tool['type'] : tool)}`, `${param}.type`);
    const fn = tool['function'];
    if (!isObject(fn) || typeof fn['name'] !== 'string') return violation(`${param}.function.name is required`, `${param}.function.name`);
    if (!CHAT_TOOL_NAME.test(fn['name']))
      return violation(
        `Invalid '${param}.function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]{1,64}$'.`,
        `${param}.function.name`,
      );
    if (fn['strict'] !== undefined && reject.has('strict'))
      return violation(`${param}.function.strict: unsupported parameter 'strict'`, `${param}.function.strict`);
  }
  return null;
}

/**
 * The first of `fields` a chat request carries (a top-level field, or `strict` inside a tool's
 * function), refused as a provider that does not take it words it; null when it carries none.
 * What `rejectFields` adds to the strict rules, and all a provider that is not strict refuses.
 */
export function rejectedField(body: unknown, fields: readonly string[]): StrictViolation | null {
  if (!isObject(body) || fields.length === 0) return null;
  const reject = new Set(fields);
  const key = Object.keys(body).find((name) => reject.has(name));
  if (key !== undefined) return violation(`unsupported parameter: '${key}' is not supported by this model`, key);
  if (!reject.has('strict') || !Array.isArray(body['tools'])) return null;
  const index = body['tools'].findIndex((tool) => isObject(tool) && isObject(tool['function']) && tool['function']['strict'] !== undefined);
  return index < 0 ? null : violation(`tools[${index}].function.strict: unsupported parameter 'strict'`, `tools[${index}].function.strict`);
}

/** The first rule a chat request breaks, or null when a strict provider takes it. */
export function strictChatViolation(body: unknown, options: StrictOptions = {}): StrictViolation | null {
  if (!isObject(body)) return violation('the request body must be a JSON object');
  const reject = new Set(options.rejectFields ?? []);
  for (const key of Object.keys(body)) {
    if (!TOP_LEVEL.has(key)) return violation(`property '${key}' is unsupported`, key);
    if (reject.has(key)) return violation(`unsupported parameter: '${key}' is not supported by this model`, key);
  }
  if (body['tool_choice'] !== undefined && body['tools'] === undefined)
    return violation("'tool_choice' is only allowed when 'tools' are specified", 'tool_choice');
  return checkTools(body['tools'], reject) ?? checkMessages(body['messages']);
}
