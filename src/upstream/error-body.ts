/**
 * Pure: reads the error an upstream put in a non-2xx body. OpenAI's `{"error": {...}}` is the
 * main shape; `{"error": "text"}`, `{"message": ...}` and `{"detail": ...}` are what other
 * providers send, and Google's OpenAI-compatible endpoint wraps its error in an array
 * (`[{"error": {...}}]`: its first element is read). A body that is not JSON (an HTML page
 * from a load balancer, nothing at all) has shape 'other', which the retry policy treats with
 * suspicion. A JSON error cut short at the read cap still gives what its start holds.
 */
import type { UpstreamError } from './outcome';

const SNIPPET_CHARS = 300;

function text(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number') return String(value);
  return null;
}

export function parseUpstreamError(body: string, contentType: string | null, truncated = false): UpstreamError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    if (truncated && /^\s*\{/.test(body)) return fromCutJson(body);
    return { message: plainSnippet(body, contentType), type: null, code: null, param: null, shape: 'other' };
  }
  if (Array.isArray(parsed) && parsed.length > 0) parsed = parsed[0];
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { message: null, type: null, code: null, param: null, shape: 'other' };
  }
  const doc = parsed as Record<string, unknown>;
  const inner = doc['error'];
  if (typeof inner === 'object' && inner !== null && !Array.isArray(inner)) {
    const error = inner as Record<string, unknown>;
    return {
      message: text(error['message']),
      type: text(error['type']),
      code: text(error['code']),
      param: text(error['param']),
      shape: 'json',
    };
  }
  return { message: text(inner) ?? text(doc['message']) ?? text(doc['detail']), type: null, code: null, param: null, shape: 'json' };
}

/** The string fields that the start of a JSON error, cut short, already holds (a value cut mid-way is kept as far as it goes). */
function fromCutJson(body: string): UpstreamError {
  const read = (name: string): string | null => {
    const raw = new RegExp(`"${name}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)`).exec(body)?.[1];
    if (raw === undefined) return null;
    try {
      // The pattern takes escapes whole (a backslash and what it escapes), so `raw` never ends in half of one.
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return raw;
    }
  };
  const message = read('message');
  return { message: message === null ? null : `${message}…`, type: read('type'), code: read('code'), param: read('param'), shape: 'json' };
}

/** A short plain-text body is worth showing; HTML pages are not. */
function plainSnippet(body: string, contentType: string | null): string | null {
  const trimmed = body.trim();
  if (trimmed === '' || /html/i.test(contentType ?? '') || trimmed.startsWith('<')) return null;
  return trimmed.length > SNIPPET_CHARS ? `${trimmed.slice(0, SNIPPET_CHARS)}…` : trimmed;
}
