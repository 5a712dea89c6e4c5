/**
 * What the chat stream tests share: a scripted chat body under the real chat event source
 * (heartbeats, idle cap, closing event), translated into a Responses stream, and the events the
 * client gets, parsed.
 */
import { expect } from 'vitest';
import { ResponseBuilder } from '../../../../src/providers/chat/builder';
import { ToolNames } from '../../../../src/providers/chat/names';
import { translatedEvents } from '../../../../src/providers/chat/stream';
import { upstreamEvents, type EventSource, type SourceItem } from '../../../../src/stream/source';
import { HEARTBEAT_MS, itemsToEnd, MAX_EVENT_BYTES, relayOptions, type ScriptedUpstream, scriptedUpstream } from '../../stream/scripted-upstream';
import { responsesStreamProblems, type Json } from './responses-rules';

function names(): ToolNames {
  const list = new ToolNames();
  list.add({ kind: 'function', name: 'exec_command', namespace: null });
  list.add({ kind: 'function', name: 'spawn_agent', namespace: 'multi_agent_v1' });
  list.add({ kind: 'custom', name: 'apply_patch', namespace: null });
  return list;
}

/** The translation of a scripted chat stream, under the relay's event cap (MAX_EVENT_BYTES unless given); `compaction`: Codex's compaction request. */
export function translated(upstream: ScriptedUpstream, first: string, maxEventBytes = MAX_EVENT_BYTES, compaction = false): EventSource {
  const options = relayOptions(upstream, 'chat', first, { maxEventBytes });
  const builder = new ResponseBuilder({ model: 'gpt-test', names: names(), maxEventBytes, compaction });
  return translatedEvents({
    source: upstreamEvents(options),
    builder,
    heartbeatMs: HEARTBEAT_MS,
    explain: options.explain,
    redactor: options.redactor,
    now: () => Date.now(),
  });
}

export const drain = (source: EventSource): Promise<SourceItem[]> => itemsToEnd(source);

/** Every event the client gets, the closing one included, parsed. */
export function eventsOf(items: readonly SourceItem[]): Json[] {
  return items
    .flatMap((item) => (item.kind === 'events' ? item.events : item.kind === 'end' && item.closing !== null ? [item.closing] : []))
    .map((event) => JSON.parse(event.data ?? '{}') as Json);
}

export const typesOf = (events: readonly Json[]): string[] => events.map((event) => String(event['type']));
export const doneItems = (events: readonly Json[]): Json[] =>
  events.filter((event) => event['type'] === 'response.output_item.done').map((event) => event['item'] as Json);

export async function run(script: string, compaction = false): Promise<{ events: Json[]; items: SourceItem[] }> {
  const upstream = scriptedUpstream();
  upstream.close();
  const items = await drain(translated(upstream, script, MAX_EVENT_BYTES, compaction));
  const events = eventsOf(items);
  expect(responsesStreamProblems(events)).toEqual([]);
  return { events, items };
}
