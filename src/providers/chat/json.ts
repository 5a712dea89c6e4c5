/**
 * Pure: a `chat.completion` JSON answer as the Responses answer, with the same mapping as a
 * stream (the message's reasoning, text and tool calls go through the same builder): the
 * response object for `stream: false` (`status: "incomplete"` with its reason for
 * `finish_reason` length / content_filter, as the Responses API says it), or the whole event
 * sequence when the client asked for a stream and the provider answered with JSON anyway.
 */
import { upstreamFault } from '../../core/errors';
import { isJsonObject, parseJsonObject, type JsonObject } from '../../core/json';
import type { SseEvent } from '../../stream/sse';
import type { ResponseBuilder } from './builder';
import { ChatReader } from './chunks';
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
  const reader = new ChatReader(builder);
  if (isJsonObject(usage)) builder.setUsage(usage);
  const events = reader.delta(choice['message']);
  const finish = typeof choice['finish_reason'] === 'string' ? choice['finish_reason'] : null;
  reader.setFinish(finish);
  return { events, finish, reader };
}

const INCOMPLETE: Readonly<Record<string, 'max_output_tokens' | 'content_filter'>> = { length: 'max_output_tokens', content_filter: 'content_filter' };

/** The Responses JSON answer (stream: false). */
export function responseFromCompletion(builder: ResponseBuilder, bytes: Uint8Array, host: string): Response {
  const { finish } = read(builder, bytes, host);
  const reason = finish === null ? undefined : INCOMPLETE[finish];
  builder.closeQuietly(reason !== undefined);
  return reason === undefined ? builder.response('completed') : builder.response('incomplete', { reason });
}

/** The Responses events of a streamed request that the provider answered with one JSON completion. */
export function eventsFromCompletion(builder: ResponseBuilder, bytes: Uint8Array, host: string): SseEvent[] {
  const start = builder.start();
  const { events, reader } = read(builder, bytes, host);
  return [...start, ...events, ...reader.finish()];
}
