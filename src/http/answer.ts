/**
 * Writes an adapter's answer as the client's HTTP response: the upstream's status and allowed
 * headers, the gateway's own headers, then the body (whole bytes, a raw pass-through, or an
 * event source through the SSE writer with this client's heartbeat). A streamed answer writes
 * its log line when the stream ends.
 */
import type { Context } from 'hono';
import type { ClientAnswer } from '../providers/adapter';
import { sseBody } from '../stream/sse-writer';
import type { WireApi } from '../stream/terminal';
import type { UpstreamResponse } from '../upstream/attempt';
import type { AppEnv } from './context';
import { clientResponseHeaders } from './headers';
import { heartbeatEvent } from './heartbeat';

export function answerResponse(
  c: Context<AppEnv>,
  wire: WireApi,
  answer: ClientAnswer,
  upstream: UpstreamResponse,
  extra: Readonly<Record<string, string>>,
): Response {
  const { trace, profile } = c.var;
  const headers = clientResponseHeaders(upstream.headers, trace.redactor);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  trace.firstByte(upstream.status);
  const init = { status: upstream.status, headers };
  switch (answer.kind) {
    case 'bytes':
      trace.set({ bytes_out: answer.bytes.byteLength });
      return new Response(answer.bytes, init);
    case 'raw':
      if (answer.encoding !== null) headers.set('content-encoding', answer.encoding);
      return new Response(answer.stream, init);
    case 'events': {
      trace.defer();
      headers.set('cache-control', 'no-cache');
      const body = sseBody(answer.source, {
        heartbeat: heartbeatEvent(profile, wire),
        client: c.req.raw.signal,
        onEnd: (summary) => {
          trace.finish({ stream_end: summary.end, bytes_out: summary.bytes });
        },
      });
      return new Response(body, init);
    }
  }
}
