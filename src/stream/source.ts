/**
 * The events of one upstream SSE body, as a client should get them, whatever writer encodes
 * them (SSE today, WebSocket frames beside it): whole events in order, a heartbeat whenever the
 * client has heard nothing for heartbeatMs, and exactly one end. A stream that breaks, goes
 * silent past the idle cap or closes without its terminal event ends with the wire API's
 * closing event (its message redacted), so a client never sees a silent clean close.
 * Pull-based: the upstream is read only when the writer asks for the next item (backpressure).
 */
import type { Redactor } from '../core/redact';
import { parseEvent, SseSplitter, type SseEvent } from './sse';
import type { StreamReport, StreamWatch } from './terminal';

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
  /** The client has heard nothing for heartbeatMs. */
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

export interface SourceOptions {
  /** The first bytes, already read by the attempt that committed to this stream. */
  readonly first: Uint8Array;
  readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  /** A read of the reader already under way (the attempt committed while waiting for it), if any. */
  readonly pending?: Promise<ReadableStreamReadResult<Uint8Array>> | null;
  readonly watch: StreamWatch;
  readonly heartbeatMs: number;
  readonly idleMs: number;
  /** The largest single event held while its end has not arrived; past it the stream is ended. */
  readonly maxEventBytes: number;
  /** Turns a short cause into the message of the closing event. */
  readonly explain: (cause: string) => string;
  /** The request's secrets: an event that carries one is redacted, and so is every event that ends the stream. */
  readonly redactor: Redactor;
  readonly now?: () => number;
}

const TIMED_OUT = Symbol('timed out');

/** An event as a client may see it: the same event, or its redacted copy. */
function redactEvent(event: SseEvent, redactor: Redactor): SseEvent {
  const text = redactor.text(event.text);
  return text === event.text ? event : parseEvent(text.replace(/\n\n$/, ''));
}

export function upstreamEvents(options: SourceOptions): EventSource {
  const { reader, watch, heartbeatMs, idleMs } = options;
  const now = options.now ?? Date.now;
  const splitter = new SseSplitter();
  let ready: SseEvent[] = splitter.push(options.first);
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = options.pending ?? null;
  let after: SourceItem | null = null;
  let lastData = now();
  let lastSent = now();
  let over = false;

  /**
   * One timer for the next heartbeat or idle deadline, not one per read: it may fire early
   * (deadlines only move later as data flows), and is then simply re-armed.
   */
  let tick: Promise<typeof TIMED_OUT> | null = null;
  let stopTick = (): void => undefined;
  const nextTick = (): Promise<typeof TIMED_OUT> => {
    if (tick !== null) return tick;
    const wait = Math.min(lastSent + heartbeatMs, lastData + idleMs) - now();
    tick = new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          tick = null;
          resolve(TIMED_OUT);
        },
        Math.max(0, wait),
      );
      stopTick = () => {
        clearTimeout(timer);
      };
    });
    return tick;
  };

  const end = (kind: Exclude<StreamEnd, 'client-gone'>, cause: string | null): SourceItem => {
    over = true;
    stopTick();
    if (kind !== 'upstream-closed') reader.cancel().catch(() => undefined);
    const message = cause === null ? null : options.redactor.text(options.explain(cause));
    const closing = message === null ? null : watch.closing(message);
    const failure = message !== null && closing === null && kind !== 'upstream-closed' ? message : null;
    return { kind: 'end', end: kind, closing, failure };
  };

  /** Hands out whole events (never none), up to and including a terminal one; what follows it is dropped. */
  const emit = (events: readonly SseEvent[], then: (() => SourceItem) | null): SourceItem => {
    const terminal = events.findIndex((event) => watch.observe(event) === 'end');
    after = terminal !== -1 ? end('terminal', null) : then === null ? null : then();
    lastSent = now();
    const sent = terminal === -1 ? events : events.slice(0, terminal + 1);
    return {
      kind: 'events',
      events: sent.map((event, index) => (index === terminal || options.redactor.holdsSecret(event.text) ? redactEvent(event, options.redactor) : event)),
    };
  };

  const read = async (): Promise<SourceItem> => {
    for (;;) {
      if (ready.length > 0) {
        const events = ready;
        ready = [];
        return emit(events, null);
      }
      if (pending === null) {
        pending = reader.read();
        pending.catch(() => undefined);
      }
      let result: ReadableStreamReadResult<Uint8Array> | typeof TIMED_OUT;
      try {
        result = await Promise.race([pending, nextTick()]);
      } catch (err) {
        return end('upstream-broke', `the upstream stream broke (${err instanceof Error ? err.message : String(err)})`);
      }
      if (result === TIMED_OUT) {
        const at = now();
        if (at - lastData >= idleMs) return end('idle', `the upstream sent nothing for ${idleMs} ms`);
        if (at - lastSent < heartbeatMs) continue; // an early tick: re-armed above
        lastSent = at;
        return { kind: 'heartbeat' };
      }
      pending = null;
      if (result.done) {
        const rest = splitter.rest();
        const closed = (): SourceItem => end('upstream-closed', 'the upstream closed the stream before its terminal event');
        return rest === null ? closed() : emit([rest], closed);
      }
      const fresh = splitter.push(result.value);
      // The idle timer is fed by data: complete data events, and the bytes of one still arriving
      // (upstream comments alone do not keep a dead stream open).
      if (splitter.pendingChars > 0 || fresh.some((event) => event.data !== null)) lastData = now();
      if (splitter.pendingChars > options.maxEventBytes || fresh.some((event) => event.text.length > options.maxEventBytes)) {
        return end('too-large', `the upstream sent an event larger than ${options.maxEventBytes} bytes (MAX_SSE_EVENT_BYTES)`);
      }
      ready = fresh;
    }
  };

  return {
    next: async () => {
      if (after !== null) {
        const item = after;
        after = null;
        return item;
      }
      if (over) throw new Error('the event source has ended');
      return read();
    },
    cancel: () => {
      if (over) return;
      over = true;
      stopTick();
      reader.cancel().catch(() => undefined);
    },
    report: () => watch.report(),
  };
}
