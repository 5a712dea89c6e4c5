/**
 * Relays an upstream SSE body to the client as it arrives, pulling only as fast as the client
 * reads (backpressure, no buffering of the response). While the stream is silent the client
 * gets heartbeats; after the idle timeout, a break, or an end without a terminal event, the
 * client gets the wire API's terminal event, so a stream always ends properly: never a silent
 * clean close, never a reset (an opaque stream, which has no terminal event, is errored instead).
 */
import { SseSplitter, type SseEvent } from './sse';
import type { StreamWatch } from './terminal';

/** Why a relayed stream ended. */
export type StreamEnd =
  | 'terminal' // the upstream sent its terminal event
  | 'upstream-closed' // the upstream ended the body (a closing event was added if one was owed)
  | 'upstream-broke' // reading the upstream body failed
  | 'idle' // nothing from the upstream for longer than the idle timeout
  | 'client-gone'; // the client went away; the upstream request was cancelled

export interface RelaySummary {
  readonly end: StreamEnd;
  readonly events: number;
  readonly bytes: number;
  /** True when the gateway had to add the closing event itself. */
  readonly repaired: boolean;
}

export interface RelayOptions {
  readonly first: Uint8Array;
  readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly watch: StreamWatch;
  /** The event written when the client has heard nothing for heartbeatMs. */
  readonly heartbeat: string;
  readonly heartbeatMs: number;
  readonly idleMs: number;
  /** Turns a short cause into the message of the closing event. */
  readonly explain: (cause: string) => string;
  readonly onEnd: (summary: RelaySummary) => void;
  /** The client's request signal: workerd aborts it when the client disconnects mid-stream. */
  readonly client: AbortSignal;
}

const TIMED_OUT = Symbol('timed out');
/** Events are coalesced into chunks of about this many characters. */
const BATCH_CHARS = 64 * 1024;

export function relaySse(options: RelayOptions): ReadableStream<Uint8Array> {
  const { reader, watch, heartbeatMs, idleMs } = options;
  const encoder = new TextEncoder();
  const splitter = new SseSplitter();
  let queued: SseEvent[] = splitter.push(options.first);
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  let lastData = Date.now();
  let lastSent = Date.now();
  let events = 0;
  let bytes = 0;
  let done = false;

  /**
   * One timer for the next heartbeat or idle deadline, not one per read: it may fire early
   * (deadlines only move later as data flows), and is then simply re-armed.
   */
  let tick: Promise<typeof TIMED_OUT> | null = null;
  let stopTick = (): void => undefined;
  const nextTick = (): Promise<typeof TIMED_OUT> => {
    if (tick !== null) return tick;
    const wait = Math.min(lastSent + heartbeatMs, lastData + idleMs) - Date.now();
    tick = new Promise((resolve) => {
      const timer = setTimeout(() => {
        tick = null;
        resolve(TIMED_OUT);
      }, Math.max(0, wait));
      stopTick = () => clearTimeout(timer);
    });
    return tick;
  };

  const send = (controller: ReadableStreamDefaultController<Uint8Array>, text: string): void => {
    const chunk = encoder.encode(text);
    bytes += chunk.byteLength;
    lastSent = Date.now();
    controller.enqueue(chunk);
  };

  const finish = (controller: ReadableStreamDefaultController<Uint8Array>, end: StreamEnd, cause: string | null): void => {
    done = true;
    stopTick();
    options.client.removeEventListener('abort', gone);
    const closing = cause === null ? null : watch.closing(options.explain(cause));
    if (closing !== null) send(controller, closing);
    if (end !== 'upstream-closed') reader.cancel().catch(() => undefined);
    if (cause !== null && closing === null && end !== 'upstream-closed') controller.error(new Error(options.explain(cause)));
    else controller.close();
    options.onEnd({ end, events, bytes, repaired: closing !== null });
  };

  /**
   * Sends queued events, coalesced into chunks of up to BATCH_CHARS (one large event is one
   * chunk); true when one of them ended the stream (nothing after it is sent).
   */
  const drain = (controller: ReadableStreamDefaultController<Uint8Array>): boolean => {
    const batch = queued;
    queued = [];
    let text = '';
    for (const event of batch) {
      events += 1;
      if (text.length + event.text.length > BATCH_CHARS && text !== '') {
        send(controller, text);
        text = '';
      }
      text += event.text;
      if (watch.observe(event) === 'end') {
        send(controller, text);
        finish(controller, 'terminal', null);
        return true;
      }
    }
    if (text !== '') send(controller, text);
    return false;
  };

  /** The client went away (workerd stops pulling and aborts the request signal; cancel() may not be called). */
  const gone = (): void => {
    if (done) return;
    done = true;
    stopTick();
    reader.cancel().catch(() => undefined);
    options.onEnd({ end: 'client-gone', events, bytes, repaired: false });
  };
  options.client.addEventListener('abort', gone);

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        while (!done) {
          if (queued.length > 0) {
            drain(controller);
            return;
          }
          if (pending === null) {
            pending = reader.read();
            pending.catch(() => undefined);
          }
          let result: ReadableStreamReadResult<Uint8Array> | typeof TIMED_OUT;
          try {
            result = await Promise.race([pending, nextTick()]);
          } catch (err) {
            if (done) return;
            finish(controller, 'upstream-broke', `the upstream stream broke (${err instanceof Error ? err.message : String(err)})`);
            return;
          }
          if (done) return; // the client went away while we waited
          if (result === TIMED_OUT) {
            const now = Date.now();
            if (now - lastData >= idleMs) {
              finish(controller, 'idle', `the upstream sent nothing for ${idleMs} ms`);
              return;
            }
            if (now - lastSent < heartbeatMs) continue; // an early tick: re-armed above
            send(controller, options.heartbeat);
            return;
          }
          pending = null;
          if (result.done) {
            const rest = splitter.rest();
            if (rest !== null) queued.push(rest);
            if (drain(controller)) return;
            finish(controller, 'upstream-closed', 'the upstream closed the stream before its terminal event');
            return;
          }
          const fresh = splitter.push(result.value);
          if (fresh.some((event) => event.data !== null)) lastData = Date.now();
          queued.push(...fresh);
        }
      },
      cancel: gone,
    },
    // Read ahead of the client by up to 64 KiB: enough to keep the upstream flowing, bounded for backpressure.
    new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
  );
}
