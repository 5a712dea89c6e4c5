/**
 * Writes an event source to an SSE client: events as they came (coalesced into chunks of up
 * to 64 KiB; a chunk source's bytes as they are), the heartbeat text when one is due, the
 * closing event the gateway owes, then a clean close; or an error when a stream that has no
 * closing event broke. Pulls only as fast as the client reads, and cancels the upstream as soon
 * as the client goes away.
 */
import type { ChunkItem, ChunkSource } from './chunk-source';
import type { EventSource, SourceItem, StreamEnd } from './source';
import type { StreamFailure, StreamReport } from './terminal';
import type { TokenUsage } from './usage';

export interface RelaySummary {
  readonly end: StreamEnd;
  readonly bytes: number;
  /** True when the gateway had to add the closing event itself. */
  readonly repaired: boolean;
  /** The usage the stream reported (its terminal event or usage chunk), if any. */
  readonly usage: TokenUsage | null;
  /** The client saw the stream end in a failure: the upstream's own, the gateway's closing event, or an error. */
  readonly failed: boolean;
  /** What that failure said (its code and message), when it said anything. */
  readonly failure: StreamFailure | null;
}

/**
 * Pure: what the end of a relay says of its stream: the usage it reported, whether the client saw
 * a failure and what that failure said (the stream's last event, else the error the writer
 * signalled). `broke`: the writer ended the stream in an error (its message, '' when it has none).
 */
export function relayEnd(report: StreamReport, broke: string | null): Pick<RelaySummary, 'usage' | 'failed' | 'failure'> {
  const failed = broke !== null || report.failed;
  const signalled = broke === null || broke === '' ? null : { code: null, message: broke };
  return { usage: report.usage, failed, failure: failed ? (report.failure ?? signalled) : null };
}

export interface SseWriterOptions {
  /** What a heartbeat looks like for this client (an SSE comment, or a data event Codex ignores). */
  readonly heartbeat: string;
  /** The client's request signal: workerd aborts it when the client disconnects mid-stream. */
  readonly client: AbortSignal;
  readonly onEnd: (summary: RelaySummary) => void;
}

/** Events are coalesced into chunks of about this many characters. */
const BATCH_CHARS = 64 * 1024;

export function sseBody(source: EventSource | ChunkSource, options: SseWriterOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let bytes = 0;
  let done = false;
  /** Whether the stream has ended, by whichever side (a call, so that it is read afresh after every await). */
  const ended = (): boolean => done;

  const send = (controller: ReadableStreamDefaultController<Uint8Array>, text: string): void => {
    const chunk = encoder.encode(text);
    bytes += chunk.byteLength;
    controller.enqueue(chunk);
  };

  /** `broke`: the stream ended in an error the writer signals (its message, '' when it has none). */
  const finish = (summary: Pick<RelaySummary, 'end' | 'repaired'>, broke: string | null = null): void => {
    done = true;
    options.client.removeEventListener('abort', gone);
    options.onEnd({ ...summary, bytes, ...relayEnd(source.report(), broke) });
  };

  /** The client went away (workerd stops pulling and aborts the request signal; cancel() may not be called). */
  function gone(): void {
    if (ended()) return;
    source.cancel();
    finish({ end: 'client-gone', repaired: false });
  }
  options.client.addEventListener('abort', gone);

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (ended()) return;
        let item: SourceItem | ChunkItem;
        try {
          item = await source.next();
        } catch (err) {
          // A source that failed (a bug): the client sees a broken stream, the log line its end.
          if (ended()) return;
          controller.error(err);
          finish({ end: 'upstream-broke', repaired: false }, '');
          return;
        }
        if (ended()) return; // the client went away while we waited
        switch (item.kind) {
          case 'events': {
            let text = '';
            for (const event of item.events) {
              if (text.length + event.text.length > BATCH_CHARS && text !== '') {
                send(controller, text);
                text = '';
              }
              text += event.text;
            }
            send(controller, text);
            return;
          }
          case 'chunks':
            for (const chunk of item.chunks) {
              bytes += chunk.byteLength;
              controller.enqueue(chunk);
            }
            return;
          case 'heartbeat':
            send(controller, options.heartbeat);
            return;
          case 'end':
            if (item.closing !== null) send(controller, item.closing.text);
            if (item.failure !== null) controller.error(new Error(item.failure));
            else controller.close();
            finish({ end: item.end, repaired: item.closing !== null }, item.failure);
        }
      },
      cancel: gone,
    },
    // Read ahead of the client by up to 64 KiB: enough to keep the upstream flowing, bounded for backpressure.
    new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
  );
}
