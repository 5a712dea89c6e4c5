/**
 * A Chat Completions stream as a Responses stream, on the event seam: the chat EventSource
 * (stream/source.ts: whole events, heartbeats, the idle cap and the chat closing event for a
 * stream that broke, stalled or closed early) goes in, a Responses EventSource comes out. Every
 * guarantee of the source holds after translation: heartbeats pass through (and one is sent when
 * the provider's events translate to nothing for a heartbeat interval), and the chat closing
 * event becomes the Responses one (`response.failed` with a retryable code for a broken stream,
 * `response.completed` for a finished one), sent as the stream's closing event. What the client
 * is handed is watched as any Responses stream is, for the relay's report (usage, a failure).
 */
import type { SseEvent } from '../../stream/sse';
import type { EventSource, SourceItem } from '../../stream/source';
import { watchStream } from '../../stream/terminal';
import type { ResponseBuilder } from './builder';
import { ChatReader } from './chunks';

export interface TranslateOptions {
  /** The provider's chat stream. */
  readonly source: EventSource;
  readonly builder: ResponseBuilder;
  readonly heartbeatMs: number;
  readonly now?: () => number;
}

/** Whether a chat stream's head holds something the client must see (before that, a cut is retried invisibly). */
export function pastChatPreamble(head: string): boolean {
  return /"(?:content|reasoning_content|reasoning|refusal)"\s*:\s*"(?:[^"\\]|\\.)|"tool_calls"\s*:\s*\[\s*\{|"finish_reason"\s*:\s*"|"error"\s*:|\[DONE\]/.test(
    head,
  );
}

export function translatedEvents(options: TranslateOptions): EventSource {
  const { source, builder, heartbeatMs } = options;
  const now = options.now ?? Date.now;
  const reader = new ChatReader(builder);
  let started = false;
  let lastSent = now();
  let after: SourceItem | null = null;

  const sent = (events: SseEvent[]): SourceItem => {
    lastSent = now();
    return { kind: 'events', events };
  };

  /** The end: what the translation still owes goes out as events, its last one as the closing event. */
  const end = (item: Extract<SourceItem, { kind: 'end' }>): SourceItem => {
    const events = item.closing === null ? [] : reader.event(item.closing);
    if (!reader.ended) events.push(...(item.failure === null ? reader.finish() : reader.error({ message: item.failure, code: 'server_error' })));
    const closing = events.pop() ?? null;
    const finalItem: SourceItem = { kind: 'end', end: item.end, closing, failure: null };
    if (events.length === 0) return finalItem;
    after = finalItem;
    return sent(events);
  };

  return reporting(
    async () => {
      if (after !== null) {
        const item = after;
        after = null;
        return item;
      }
      if (!started) {
        started = true;
        return sent(builder.start());
      }
      for (;;) {
        const item = await source.next();
        switch (item.kind) {
          case 'heartbeat':
            lastSent = now();
            return item;
          case 'end':
            return end(item);
          case 'events': {
            const events = item.events.flatMap((event) => reader.event(event));
            if (events.length > 0) return sent(events);
            if (now() - lastSent >= heartbeatMs) {
              lastSent = now();
              return { kind: 'heartbeat' };
            }
          }
        }
      }
    },
    () => {
      source.cancel();
    },
  );
}

/** A source of events known in full (a JSON answer to a streamed request, translated), ending cleanly. */
export function fixedEvents(events: readonly SseEvent[]): EventSource {
  let sent = false;
  return reporting(
    () => {
      if (sent) return Promise.resolve({ kind: 'end', end: 'terminal', closing: null, failure: null });
      sent = true;
      return Promise.resolve({ kind: 'events', events: [...events] });
    },
    () => undefined,
  );
}

/** A source of Responses events with the report of what it handed out, read as any Responses stream is (its usage, a failure). */
function reporting(next: () => Promise<SourceItem>, cancel: () => void): EventSource {
  const watch = watchStream('responses');
  return {
    next: async () => {
      const item = await next();
      if (item.kind === 'events') for (const event of item.events) watch.observe(event);
      if (item.kind === 'end' && item.closing !== null) watch.observe(item.closing);
      return item;
    },
    cancel,
    report: () => watch.report(),
  };
}
