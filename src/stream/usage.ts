/**
 * Pure: the token usage a provider reports, in one shape, from either wire: a Responses `usage`
 * (input_tokens, output_tokens, total_tokens, input_tokens_details.cached_tokens,
 * output_tokens_details.reasoning_tokens) or a Chat Completions one (prompt_tokens,
 * completion_tokens, total_tokens, prompt_tokens_details.cached_tokens,
 * completion_tokens_details.reasoning_tokens). A document small enough is parsed; a larger one
 * (a final event or answer that carries the whole output) is searched from its end for its last
 * `"usage": {…}`, which is where both APIs put the top-level usage, so that reading it costs at
 * most TAIL_CHARS whatever the document's size.
 */
import { field, parseJsonObject } from '../core/json';

export interface TokenUsage {
  readonly input: number;
  readonly output: number;
  readonly total: number;
  /** Input tokens served from the provider's prompt cache (0 when not reported). */
  readonly cached: number;
  /** Output tokens spent on reasoning (0 when not reported). */
  readonly reasoning: number;
}

/** Documents up to this size are parsed whole; of larger ones only the last this-many characters are read. */
export const TAIL_CHARS = 64 * 1024;

const count = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : null);

/** A `usage` object of either wire as TokenUsage; null when it is none (absent, null, or not counts). */
export function tokenUsage(usage: unknown): TokenUsage | null {
  const responses = count(field(usage, 'input_tokens')) !== null;
  const input = count(field(usage, responses ? 'input_tokens' : 'prompt_tokens'));
  const output = count(field(usage, responses ? 'output_tokens' : 'completion_tokens'));
  if (input === null || output === null) return null;
  const inputDetails = field(usage, responses ? 'input_tokens_details' : 'prompt_tokens_details');
  const outputDetails = field(usage, responses ? 'output_tokens_details' : 'completion_tokens_details');
  return {
    input,
    output,
    total: count(field(usage, 'total_tokens')) ?? input + output,
    cached: count(field(inputDetails, 'cached_tokens')) ?? 0,
    reasoning: count(field(outputDetails, 'reasoning_tokens')) ?? 0,
  };
}

/** The usage at `path` of a JSON document (top level: []; a Responses event: ['response']), or, for a large one, its last usage object. */
export function usageIn(text: string, path: readonly string[] = []): TokenUsage | null {
  if (text.length > TAIL_CHARS) return usageInTail(text);
  const document = parseJsonObject(text);
  return tokenUsage(
    field(
      path.reduce<unknown>((value, key) => field(value, key), document),
      'usage',
    ),
  );
}

/** The usage of a JSON answer held as bytes: only its tail is decoded when it is large. */
export function usageOfBody(bytes: Uint8Array): TokenUsage | null {
  if (bytes.byteLength <= TAIL_CHARS) return usageIn(new TextDecoder().decode(bytes));
  return usageInTail(new TextDecoder().decode(bytes.subarray(bytes.byteLength - TAIL_CHARS)));
}

const USAGE_KEY = /"usage"\s*:\s*\{/g;

/** The last `"usage": {…}` object in the final TAIL_CHARS of text. */
export function usageInTail(text: string): TokenUsage | null {
  const tail = text.length > TAIL_CHARS ? text.slice(text.length - TAIL_CHARS) : text;
  let start = -1;
  USAGE_KEY.lastIndex = 0;
  for (let match = USAGE_KEY.exec(tail); match !== null; match = USAGE_KEY.exec(tail)) start = match.index + match[0].length - 1;
  if (start === -1) return null;
  const end = objectEnd(tail, start);
  return end === -1 ? null : tokenUsage(parseJsonObject(tail.slice(start, end)));
}

/** The index just after the object that opens at `start` (strings and escapes respected); -1 if it does not close. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const char = text.charAt(i);
    if (inString) {
      if (char === '\\') i += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth += 1;
    else if (char === '}') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}
