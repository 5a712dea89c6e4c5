/**
 * The events of one upstream SSE body, as a client should get them, whatever writer encodes
 * them (SSE today, WebSocket frames beside it): whole events in order, a heartbeat whenever the
 * client has got no data for heartbeatMs, and exactly one end. A stream that breaks, goes
 * silent past the idle cap or closes without its terminal event ends with the wire API's
 * closing event (its message redacted), so a client never sees a silent clean close.
 * Pull-based: the upstream is read only when the writer asks for the next item (backpressure).
 */
import type { Redactor } from '../core/redact';
import type { ChunkReader } from './chunk-reader';
import { parseEvent, SseSplitter, type SseEvent } from './sse';
import type { StreamReport, StreamWatch } from './terminal';
import { RelayClock } from './clock';
import { PacedReads } from './paced-reads';

/** Why a relayed stream ended. */
export type StreamEnd =
  | 'terminal' // the upstream sent its terminal event
  | 'upstream-closed' // the upstream ended the body (a closing event was added if one was owed)
  | 'upstream-broke' // reading the upstream body failed
  | 'idle' // nothing from the upstream for longer than the idle timeout
  | 'too-large' // one event grew past the cap (MAX_SSE_EVENT_BYTES): the stream was ended
  | 'client-gone'; // the client went away; the upstream request was cancelled

export type SourceItem =
  /** Whole events, in upstream order (never empty). */
  | { readonly kind: 'events'; readonly events: readonly SseEvent[] }
  /** The client has got no data for heartbeatMs (upstream comments do not count). */
  | { readonly kind: 'heartbeat' }
  /**
   * The stream is over. `closing` is the event the gateway owes the client; `failure` is set
   * when the stream broke and no closing event exists for its wire (the writer must signal an
   * error rather than end cleanly).
   */
  | { readonly kind: 'end'; readonly end: Exclude<StreamEnd, 'client-gone'>; readonly closing: SseEvent | null; readonly failure: string | null };

export interface EventSource {
  next(): Promise<SourceItem>;
  /** The client went away: stop reading and cancel the upstream body. */
  cancel(): void;
  /** What the stream has said about itself so far (its usage, a failure). */
  report(): StreamReport;
}

/** Turns a short cause into the message of a failure that ends a stream; `final`: for a reason a retry would meet again. */
export type Explain = (cause: string, final?: boolean) => string;

export interface SourceOptions {
  /** The first bytes, already read by the attempt that committed to this stream. */
  readonly first: Uint8Array;
  readonly reader: ChunkReader;
  /** A read of the reader already under way (the attempt committed while waiting for it), if any. */
  readonly pending?: Promise<ReadableStreamReadResult<Uint8Array>> | null;
  readonly watch: StreamWatch;
  readonly heartbeatMs: number;
  readonly idleMs: number;
  /** The largest single event held while its end has not arrived; past it the stream is ended. */
  readonly maxEventBytes: number;
  readonly explain: Explain;
  /** The request's secrets: an event that carries one is redacted, and a terminal event that reports a failure by pattern too. */
  readonly redactor: Redactor;
  readonly now?: () => number;
}

/** The end item of a stream: the closing event owed (its message redacted), or the failure a writer must signal. */
export type EndItem = Extract<SourceItem, { kind: 'end' }>;

/** The item a source has already decided to hand out on its next call, if any: taken once. */
export class NextItem<T> {
  private item: T | null = null;
  put(item: T | null): void {
    this.item = item;
  }
  take(): T | null {
    const item = this.item;
    this.item = null;
    return item;
  }
}

/** How a relay ends: cause null for an end that owes the client nothing (its terminal event went by). */
export function endItem(options: Pick<SourceOptions, 'watch' | 'redactor' | 'explain'>, kind: EndItem['end'], cause: string | null): EndItem {
  // An event too large comes back as large if the request is sent again: the client is told not to.
  const final = kind === 'too-large';
  const message = cause === null ? null : options.redactor.text(options.explain(cause, final));
  const closing = message === null ? null : options.watch.closing(message, final);
  const failure = message !== null && closing === null && kind !== 'upstream-closed' ? message : null;
  return { kind: 'end', end: kind, closing, failure };
}

/** An event as a client may see it: the same event, or its redacted copy. */
export function redactEvent(event: SseEvent, redactor: Redactor): SseEvent {
  const text = redactor.text(event.text);
  return text === event.text ? event : parseEvent(text.replace(/\n\n$/, ''));
}

export function upstreamEvents(options: SourceOptions): EventSource {
  const { reader, watch, heartbeatMs, idleMs } = options;
  const now = options.now ?? Date.now;
  const splitter = new SseSplitter();
  let ready: SseEvent[] = splitter.push(options.first);
  const after = new NextItem<SourceItem>();
  let over = false;

  const clock = new RelayClock(heartbeatMs, idleMs, now);
  const reads = new PacedReads(reader, options.pending ?? null, clock, idleMs);

  const end = (kind: Exclude<StreamEnd, 'client-gone'>, cause: string | null): SourceItem => {
    over = true;
    clock.stop();
    if (kind !== 'upstream-closed') reader.cancel().catch(() => undefined);
    return endItem(options, kind, cause);
  };

  /** Hands out whole events (never none), up to and including a terminal one; what follows it is dropped. */
  const emit = (events: readonly SseEvent[], then: (() => SourceItem) | null): SourceItem => {
    const terminal = events.findIndex((event) => watch.observe(event) === 'end');
    after.put(terminal !== -1 ? end('terminal', null) : then === null ? null : then());
    const sent = terminal === -1 ? events : events.slice(0, terminal + 1);
    if (sent.some((event) => event.data !== null)) clock.sent(); // comments alone go out, but do not put the next heartbeat off
    return {
      kind: 'events',
      // A terminal event that reports a failure is redacted by pattern too (its message is the upstream's); any event that holds a secret, by value.
      events: sent.map((event, index) =>
        (index === terminal && watch.report().failed) || options.redactor.holdsSecret(event.text) ? redactEvent(event, options.redactor) : event,
      ),
    };
  };

  const read = async (): Promise<SourceItem> => {
    for (;;) {
      if (ready.length > 0) {
        const events = ready;
        ready = [];
        return emit(events, null);
      }
      const pulled = await reads.next();
      if (pulled.kind === 'heartbeat') return pulled;
      if (pulled.kind === 'end') return end(pulled.end, pulled.cause);
      if (pulled.kind === 'done') {
        const rest = splitter.rest();
        const closed = (): SourceItem => end('upstream-closed', 'the upstream closed the stream before its terminal event');
        return rest === null ? closed() : emit([rest], closed);
      }
      const fresh = splitter.push(pulled.bytes);
      // The idle timer is fed by data: complete data events, and the bytes of one still arriving
      // (upstream comments alone do not keep a dead stream open).
      if (splitter.pendingChars > 0 || fresh.some((event) => event.data !== null)) clock.fed();
      if (splitter.pendingChars > options.maxEventBytes || fresh.some((event) => event.text.length > options.maxEventBytes)) {
        return end('too-large', `the upstream sent an event larger than ${options.maxEventBytes} bytes (MAX_SSE_EVENT_BYTES)`);
      }
      ready = fresh;
    }
  };

  return {
    next: async () => {
      const decided = after.take();
      if (decided !== null) return decided;
      if (over) throw new Error('the event source has ended');
      return read();
    },
    cancel: () => {
      if (over) return;
      over = true;
      clock.stop();
      reader.cancel().catch(() => undefined);
    },
    report: () => watch.report(),
  };
}
