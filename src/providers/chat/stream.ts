/**
 * A Chat Completions stream as a Responses stream, on the event seam: the chat EventSource
 * (stream/source.ts: whole events, heartbeats, the idle cap and the chat closing event for a
 * stream that broke, stalled or closed early) goes in, a Responses EventSource comes out. Every
 * guarantee of the source holds after translation: heartbeats pass through (and one is sent when
 * the provider's events translate to nothing for a heartbeat interval), and the chat closing
 * event becomes the Responses one (`response.failed` with a retryable code for a broken stream,
 * `response.completed` for a finished one), sent as the stream's closing event. Once the chat
 * answer is over for the translation (`[DONE]`, an error chunk, wherever its `error` key stands,
 * or an answer past what it may hold: budget.ts, the end `too-large`), the stream ends right
 * after the events it made and the upstream is cancelled: no heartbeat
 * keeps a client waiting on a provider that has nothing more to say. What the client is handed is
 * watched as any Responses stream is, for the relay's report (usage, a failure), and redacted as
 * the relay redacts (stream/source.ts): the translation decodes the provider's JSON and joins its
 * deltas, so a key the provider's events held escaped or in pieces is whole only here.
 */
import type { Redactor } from '../../core/redact';
import type { SseEvent } from '../../stream/sse';
import { NextItem, redactEvent, type EndItem, type EventSource, type Explain, type SourceItem } from '../../stream/source';
import { watchStream } from '../../stream/terminal';
import type { ResponseBuilder } from './builder';
import { ChatReader } from './chunks';

export interface TranslateOptions {
  /** The provider's chat stream. */
  readonly source: EventSource;
  readonly builder: ResponseBuilder;
  readonly heartbeatMs: number;
  /** A short cause as the message of a failure the translation ends the stream with (the source's own explain). */
  readonly explain: Explain;
  /** The request's secrets, kept out of every event the translation makes. */
  readonly redactor: Redactor;
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
  const reader = new ChatReader(builder, options.explain);
  let started = false;
  let lastSent = now();
  const after = new NextItem<SourceItem>();

  const sent = (events: SseEvent[]): SourceItem => {
    lastSent = now();
    return { kind: 'events', events };
  };

  /** The translation's last events: all but the last go out now, the last as the closing event of an end of this kind. */
  const last = (events: SseEvent[], end: EndItem['end']): SourceItem => {
    const closing = events.pop() ?? null;
    const finalItem: SourceItem = { kind: 'end', end, closing, failure: null };
    if (events.length === 0) return finalItem;
    after.put(finalItem);
    return sent(events);
  };

  /** The chat source ended: what the translation still owes goes out. */
  const ended = (item: EndItem): SourceItem => {
    const events = item.closing === null ? [] : reader.event(item.closing);
    if (!reader.ended) events.push(...(item.failure === null ? reader.finish() : reader.error({ message: item.failure, code: 'server_error' })));
    return last(events, item.end);
  };

  return reporting(
    async () => {
      const decided = after.take();
      if (decided !== null) return decided;
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
            return ended(item);
          case 'events': {
            const events = item.events.flatMap((event) => reader.event(event));
            if (reader.ended) {
              // The answer is over whatever the provider does next: stop reading it.
              source.cancel();
              return last(events, reader.end ?? 'terminal');
            }
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
    options.redactor,
  );
}

/**
 * A source of events known in full (a JSON answer to a streamed request, translated), ending
 * cleanly; `too-large` for one that failed over its size, as a stream over it ends.
 */
export function fixedEvents(events: readonly SseEvent[], end: 'terminal' | 'too-large', redactor: Redactor): EventSource {
  let sent = false;
  return reporting(
    () => {
      if (sent) return Promise.resolve({ kind: 'end', end, closing: null, failure: null });
      sent = true;
      return Promise.resolve({ kind: 'events', events: [...events] });
    },
    () => undefined,
    redactor,
  );
}

/**
 * A source of Responses events as the client gets them: an event that holds a secret redacted, and
 * one that ends the stream with a failure by pattern too (its message is the provider's); with the
 * report of what it handed out, read as any Responses stream is (its usage, a failure).
 */
function reporting(next: () => Promise<SourceItem>, cancel: () => void, redactor: Redactor): EventSource {
  const watch = watchStream('responses');
  const shown = (event: SseEvent): SseEvent => {
    const failed = watch.observe(event) === 'end' && watch.report().failed;
    return failed || redactor.holdsSecret(event.text) ? redactEvent(event, redactor) : event;
  };
  return {
    next: async () => {
      const item = await next();
      if (item.kind === 'events') return { kind: 'events', events: item.events.map(shown) };
      if (item.kind === 'end' && item.closing !== null) return { ...item, closing: shown(item.closing) };
      return item;
    },
    cancel,
    report: () => watch.report(),
  };
}
