/**
 * Pure: a `chat.completion` JSON answer as the Responses answer, with the same mapping as a
 * stream (the message's reasoning, text and tool calls go through the same builder): the
 * response object for `stream: false` (`status: "incomplete"` with its reason for
 * `finish_reason` length / content_filter, as the Responses API says it; a retryable 502 for a
 * provider that failed while generating, `abort` / `error`; a final 502 for an answer past what
 * one answer may hold, budget.ts), or the whole event sequence when the client asked for a stream
 * and the provider answered with JSON anyway.
 */
import { retryable, upstreamFault } from '../../core/errors';
import { isJsonObject, parseJsonObject, type JsonObject } from '../../core/json';
import type { SseEvent } from '../../stream/sse';
import { explainer } from '../passthrough';
import { NO_SUMMARY, type ResponseBuilder } from './builder';
import { ChatReader, finishOutcome } from './chunks';
import { list } from './read';
import type { Response } from './types';

function completion(bytes: Uint8Array, host: string): { choice: JsonObject; usage: unknown } {
  const document = parseJsonObject(new TextDecoder().decode(bytes));
  const [choice] = list(document?.['choices']);
  if (document === null || !isJsonObject(choice)) {
    throw upstreamFault('upstream_bad_answer', `codex-edge: upstream ${host} answered 200 with JSON that is not a chat completion; it cannot be translated`);
  }
  return { choice, usage: document['usage'] };
}

/** Feeds a whole completion to the builder; returns the events and the finish reason. */
function read(builder: ResponseBuilder, bytes: Uint8Array, host: string): { events: SseEvent[]; finish: string | null; reader: ChatReader } {
  const { choice, usage } = completion(bytes, host);
  const reader = new ChatReader(builder, explainer(host));
  if (isJsonObject(usage)) builder.setUsage(usage);
  const events = reader.delta(choice['message']);
  const finish = typeof choice['finish_reason'] === 'string' ? choice['finish_reason'] : null;
  reader.setFinish(finish);
  return { events, finish, reader };
}

/** What a client is told to wait before it retries an answer the provider failed to write. */
const RETRY_MS = 1000;

/** The Responses JSON answer (stream: false). */
export function responseFromCompletion(builder: ResponseBuilder, bytes: Uint8Array, host: string): Response {
  const { finish } = read(builder, bytes, host);
  if (builder.overflow !== null) throw upstreamFault('upstream_response_too_large', `codex-edge: upstream ${host} ${builder.overflow}; refused`);
  const outcome = finishOutcome(finish);
  if (outcome.kind === 'broken') throw retryable(502, 'upstream_answer_failed', `${outcome.message} (upstream ${host})`, RETRY_MS);
  if (outcome.kind === 'completed' && builder.summaryMissing) throw retryable(502, 'upstream_answer_failed', `${NO_SUMMARY} (upstream ${host})`, RETRY_MS);
  builder.closeQuietly(outcome.kind === 'cut');
  return outcome.kind === 'cut' ? builder.response('incomplete', { reason: outcome.incomplete }) : builder.response('completed');
}

/** The Responses events of a streamed request that the provider answered with one JSON completion. */
export function eventsFromCompletion(builder: ResponseBuilder, bytes: Uint8Array, host: string): SseEvent[] {
  const start = builder.start();
  const { events, reader } = read(builder, bytes, host);
  return [...start, ...events, ...reader.finish()];
}
