/**
 * Writes an adapter's answer as the client's HTTP response: the upstream's status and allowed
 * headers, the gateway's own headers, then the body (whole bytes, a raw pass-through, or an
 * event source through the SSE writer with this client's heartbeat). A streamed answer writes
 * its log line when the stream ends, however it ends (see client-body.ts for a client that goes
 * away). `onEnd` is told once when the answer is over: at once for whole bytes, when the body
 * ends for a stream or a raw body (a client that goes away included); until a raw body ends the
 * request is kept alive (waitUntil), as the trace middleware does for a stream. A stream that
 * failed puts its failure's code and message in the log line.
 */
import type { Context } from 'hono';
import type { ClientAnswer } from '../providers/adapter';
import { whenEnded } from '../stream/ended';
import { sseBody } from '../stream/sse-writer';
import { usageOfBody, type TokenUsage } from '../stream/usage';
import type { WireApi } from '../stream/terminal';
import type { UpstreamResponse } from '../upstream/attempt';
import { background } from './background';
import type { AppEnv } from './context';
import { clientBody } from './client-body';
import { clientResponseHeaders } from './headers';
import { heartbeatEvent } from './heartbeat';
import { failureFields } from './log';

/** How an answer ended, for whoever keeps the request's books. */
export interface AnswerEnd {
  /** The client saw a failure: a stream that broke or ended in an error. */
  readonly failed: boolean;
  /** The tokens the provider reported: a JSON answer's `usage`, a stream's terminal event or usage chunk. */
  readonly usage: TokenUsage | null;
}

export function answerResponse(
  c: Context<AppEnv>,
  wire: WireApi,
  answer: ClientAnswer,
  upstream: UpstreamResponse,
  extra: Readonly<Record<string, string>>,
  onEnd: (end: AnswerEnd) => void,
): Response {
  const trace = c.get('trace');
  const profile = c.get('profile');
  const headers = { ...clientResponseHeaders(upstream.headers, trace.redactor), ...extra };
  trace.firstByte(upstream.status);
  const init = { status: upstream.status, headers };
  switch (answer.kind) {
    case 'bytes': {
      const usage = usageOfBody(answer.bytes);
      trace.set({ bytes_out: answer.bytes.byteLength, usage });
      onEnd({ failed: false, usage });
      return new Response(answer.bytes, init);
    }
    case 'raw': {
      if (answer.encoding !== null) headers['content-encoding'] = answer.encoding;
      if (answer.stream === null) {
        onEnd({ failed: false, usage: null });
        return new Response(null, init);
      }
      let ended = (): void => undefined;
      background(c)(new Promise<void>((resolve) => (ended = resolve)));
      const body = whenEnded(answer.stream, c.req.raw.signal, (failed) => {
        onEnd({ failed, usage: null });
        ended();
      });
      return new Response(clientBody(body), init);
    }
    case 'events':
    case 'sse': {
      trace.defer();
      headers['cache-control'] = 'no-cache';
      const body = sseBody(answer.source, {
        heartbeat: heartbeatEvent(profile, wire),
        client: c.req.raw.signal,
        onEnd: (summary) => {
          onEnd({ failed: summary.failed, usage: summary.usage }); // first: its background work is registered while the request is kept alive
          trace.finish({ stream_end: summary.end, bytes_out: summary.bytes, usage: summary.usage, ...failureFields(summary.failure) });
        },
      });
      return new Response(clientBody(body), init);
    }
  }
}
