/**
 * Writes an event source to a WebSocket client, beside the SSE writer: each event's data as one
 * text frame, in order; the heartbeat frame when one is due; the closing event the gateway owes
 * as the last frame. Stops, cancelling the upstream, as soon as `signal` aborts (the socket
 * closed). Resolves once the stream is over, with the same summary the SSE writer reports.
 */
import type { EventSource } from './source';
import type { StreamReport } from './terminal';
import { relayEnd, type RelaySummary } from './sse-writer';
import type { SseEvent } from './sse';

export interface FrameWriterOptions {
  /** Sends one text frame. */
  readonly send: (text: string) => void;
  /** The heartbeat frame (an event of a type clients ignore). */
  readonly heartbeat: string;
  /** Aborted when the client is gone. */
  readonly signal: AbortSignal;
  /** Sees every event that went out (the session memory records what the turn produced). */
  readonly onEvent: (event: SseEvent) => void;
}

export async function writeFrames(source: EventSource, options: FrameWriterOptions): Promise<RelaySummary> {
  let bytes = 0;
  const send = (text: string): void => {
    bytes += text.length;
    options.send(text);
  };
  /** Whether the client is gone (a call, so that it is read afresh after every await). */
  const left = (): boolean => options.signal.aborted;
  /**
   * What the stream had reported when the client left: the read the cancel breaks reports the
   * upstream as broken, which it was not (the SSE writer ends its summary at the same moment).
   */
  let atLeave: StreamReport | null = null;
  const gone = (): void => {
    atLeave = source.report();
    source.cancel();
  };
  options.signal.addEventListener('abort', gone);
  /** `broke`: the turn ended in an error of its own (its message, '' when it has none). */
  const summary = (end: RelaySummary['end'], repaired: boolean, broke: string | null): RelaySummary => {
    return { end, repaired, bytes, ...relayEnd(end === 'client-gone' ? (atLeave ?? source.report()) : source.report(), broke) };
  };
  try {
    for (;;) {
      if (left()) return summary('client-gone', false, null);
      const item = await source.next();
      if (left()) return summary('client-gone', false, null);
      switch (item.kind) {
        case 'events':
          for (const event of item.events) {
            if (event.data === null) continue; // an SSE comment: nothing for a frame
            send(event.data);
            options.onEvent(event);
          }
          break;
        case 'heartbeat':
          send(options.heartbeat);
          break;
        case 'end':
          if (item.closing !== null && item.closing.data !== null) {
            send(item.closing.data);
            options.onEvent(item.closing);
          }
          return summary(item.end, item.closing !== null, item.failure);
      }
    }
  } catch {
    // A source that failed (a bug) or a socket that refused a frame: the turn is over, broken.
    source.cancel();
    return summary(left() ? 'client-gone' : 'upstream-broke', false, '');
  } finally {
    options.signal.removeEventListener('abort', gone);
  }
}
