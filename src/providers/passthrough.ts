/**
 * The pass-through adapters: the client and the provider speak the same wire, so the request
 * goes up as sent, byte for byte (only a JSON body's BOM dropped and its model renamed where a
 * route says so) and the answer comes back as it is, with the stream guarantees of its wire
 * (terminal event, heartbeats, idle cap).
 */
import { withIdleTimeout } from '../stream/idle';
import { redactedBytes, withRedaction } from '../stream/redact-body';
import { upstreamChunks } from '../stream/chunk-source';
import { upstreamEvents, type Explain, type SourceOptions } from '../stream/source';
import { pastResponsesPreamble, watchStream, type WireApi } from '../stream/terminal';
import type { AnswerContext, ProviderAdapter, ProviderWire } from './adapter';
import type { UpstreamBody } from '../upstream/body';
import { withModel, withoutBom } from './client-call';

/** Which client routes a provider of each wire serves as they are. */
const SERVES: Readonly<Record<ProviderWire, (route: WireApi) => boolean>> = {
  responses: () => true,
  chat: (route) => route === 'chat',
};

/** What a final end says to do (the cause names the setting, when there is one to raise). */
const NOT_RETRIED =
  'not retried: asked again, the provider would answer as large. Ask for a smaller answer (or raise the setting the cause names, if it names one)';

/** The message of a failure that ended a stream from `host`, from its short cause; `final`: one a retry would meet again. */
export function explainer(host: string): Explain {
  return (cause, final = false) => `codex-edge: ${cause} (upstream ${host}); ${final ? NOT_RETRIED : 'the request can be retried'}`;
}

/** What a relay of an upstream stream of `wire` needs, from the attempt's body and the answer's context (every adapter's streams). */
export function streamOptions(body: Extract<UpstreamBody, { kind: 'sse' }>, wire: WireApi, context: AnswerContext): SourceOptions {
  return {
    first: body.first,
    reader: body.reader,
    pending: body.pending,
    watch: watchStream(wire),
    heartbeatMs: context.heartbeatMs,
    idleMs: context.idleMs,
    maxEventBytes: context.maxEventBytes,
    explain: explainer(context.host),
    redactor: context.redactor,
  };
}

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
      switch (body.kind) {
        case 'buffered':
          return { kind: 'bytes', bytes: redactedBytes(body.bytes, context.redactor) };
        case 'raw': {
          const stream = body.stream === null ? null : withIdleTimeout(body.stream, context.idleMs, explainer(context.host));
          return {
            kind: 'raw',
            stream: stream === null ? null : withRedaction(stream, context.redactor),
            encoding: upstream.headers.get('content-encoding'),
          };
        }
        case 'sse': {
          const options = streamOptions(body, call.wire, context);
          return { kind: 'sse', source: upstreamChunks(options), events: () => upstreamEvents(options) };
        }
      }
    },
  };
}
