/**
 * The pass-through adapters: the client and the provider speak the same wire, so the request
 * goes up as sent, byte for byte (only a JSON body's BOM dropped and its model renamed where a
 * route says so) and the answer comes back as it is, with the stream guarantees of its wire
 * (terminal event, heartbeats, idle cap).
 */
import { withIdleTimeout } from '../stream/idle';
import { mayHoldText, redactedBytes, withRedaction } from '../stream/redact-body';
import { upstreamChunks } from '../stream/chunk-source';
import { upstreamEvents, type SourceOptions } from '../stream/source';
import { pastResponsesPreamble, watchStream, type WireApi } from '../stream/terminal';
import type { ProviderAdapter, ProviderWire } from './adapter';
import { withModel, withoutBom } from './client-call';

/** Which client routes a provider of each wire serves as they are. */
const SERVES: Readonly<Record<ProviderWire, (route: WireApi) => boolean>> = {
  responses: () => true,
  chat: (route) => route === 'chat',
};

export function passthroughAdapter(wire: ProviderWire): ProviderAdapter {
  return {
    wire,
    serves: SERVES[wire],
    request: (call, model) => {
      const { json, body } = call;
      if (json === null || body === null) return { path: call.apiPath, body, ready: null };
      const stream = call.wire === 'responses' && json.stream;
      return {
        path: call.apiPath,
        body: model !== null && model !== json.model ? withModel(body, model) : withoutBom(body),
        ready: stream ? pastResponsesPreamble : null,
      };
    },
    answer: (call, upstream, context) => {
      const { body } = upstream;
      const explain = (cause: string): string => `codex-edge: ${cause} (upstream ${context.host}); the request can be retried`;
      switch (body.kind) {
        case 'buffered':
          return { kind: 'bytes', bytes: redactedBytes(body.bytes, context.redactor) };
        case 'raw': {
          const stream = body.stream === null ? null : withIdleTimeout(body.stream, context.idleMs, explain);
          return {
            kind: 'raw',
            stream: stream !== null && mayHoldText(upstream.headers.get('content-type')) ? withRedaction(stream, context.redactor) : stream,
            encoding: upstream.headers.get('content-encoding'),
          };
        }
        case 'sse': {
          const options: SourceOptions = {
            first: body.first,
            reader: body.reader,
            pending: body.pending,
            watch: watchStream(call.wire),
            heartbeatMs: context.heartbeatMs,
            idleMs: context.idleMs,
            maxEventBytes: context.maxEventBytes,
            explain,
            redactor: context.redactor,
          };
          return { kind: 'sse', source: upstreamChunks(options), events: () => upstreamEvents(options) };
        }
      }
    },
  };
}
