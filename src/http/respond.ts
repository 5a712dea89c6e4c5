/** Turns a GatewayError into the Response a given client receives (see present.ts for the table), redacted and bounded. */
import type { Context } from 'hono';
import { shownText } from '../core/clip';
import type { ErrorBody, GatewayError } from '../core/errors';
import type { Redactor } from '../core/redact';
import { dataEvent } from '../stream/sse';
import type { AppEnv } from './context';
import type { RequestTrace } from './log';
import { presentError, type Audience } from './present';

/** The error as the client will read it: every field redacted and clipped. */
function safeBody(error: ErrorBody, redactor: Redactor): ErrorBody {
  const safe = (text: string | null): string | null => (text === null ? null : shownText(text, redactor));
  return { message: safe(error.message) ?? '', type: safe(error.type) ?? '', code: safe(error.code), param: safe(error.param) };
}

export function errorResponse(err: GatewayError, audience: Audience, redactor: Redactor, responseId: string, headers: HeadersInit = {}): Response {
  const presented = presentError(err, audience);
  const out = new Headers(headers);
  for (const [name, value] of Object.entries(presented.headers)) out.set(name, redactor.text(value));
  switch (presented.kind) {
    case 'json':
      return new Response(JSON.stringify({ error: safeBody(presented.body.error, redactor) }), { status: presented.status, headers: out });
    case 'failed-stream':
      return new Response(failedEvent(presented.error, redactor, responseId).text, { status: 200, headers: out });
  }
}

/** An error as one WebSocket text frame, with the status the HTTP answer would have had (for the log). */
export interface ErrorFrame {
  readonly status: number;
  readonly text: string;
}

/**
 * The error as a WebSocket client's text frame, chosen by the same table: an `error` frame with
 * the status and headers the HTTP answer would have (Codex reads them as it reads an HTTP error),
 * or the `response.failed` event a Responses stream would have carried.
 */
export function errorFrame(err: GatewayError, audience: Audience, redactor: Redactor, responseId: string): ErrorFrame {
  const presented = presentError(err, audience);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(presented.headers)) if (name !== 'content-type' && name !== 'cache-control') headers[name] = redactor.text(value);
  switch (presented.kind) {
    case 'json': {
      const { status } = presented;
      return { status, text: JSON.stringify({ type: 'error', status, error: safeBody(presented.body.error, redactor), headers }) };
    }
    case 'failed-stream':
      return { status: 200, text: failedEvent(presented.error, redactor, responseId).data ?? '' };
  }
}

function failedEvent(error: ErrorBody, redactor: Redactor, responseId: string) {
  return dataEvent('response.failed', {
    type: 'response.failed',
    sequence_number: 0,
    response: { id: responseId, object: 'response', status: 'failed', output: [], error: safeBody(error, redactor), incomplete_details: null },
  });
}

/** What went wrong inside, for the server's log only: the cause's stack (or text). */
function describeCause(cause: unknown): string | null {
  if (cause === undefined) return null;
  return cause instanceof Error ? (cause.stack ?? `${cause.name}: ${cause.message}`) : JSON.stringify(cause);
}

/** Records a GatewayError on a log line: its code and message, and its cause (server-side only). */
export function noteError(trace: RequestTrace, err: GatewayError): void {
  trace.set({ error_code: err.body.code, error: err.body.message, error_cause: describeCause(err.cause) });
}

/** Answers with a GatewayError and records it on the request's log line. */
export function fail(c: Context<AppEnv>, err: GatewayError, headers: HeadersInit = {}): Response {
  const trace = c.get('trace');
  const profile = c.get('profile');
  const responsesStream = c.get('responsesStream');
  noteError(trace, err);
  const audience: Audience = { profile, responsesStream };
  return errorResponse(err, audience, trace.redactor, `resp_${trace.requestId}`, headers);
}
