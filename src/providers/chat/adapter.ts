/**
 * The adapter of a Chat-Completions-only provider. `/v1/chat/completions` (and every other route)
 * goes up as it is; `POST /v1/responses` is translated: the request to `POST /chat/completions`
 * (request.ts, with the provider's capabilities less the optional fields it refused), the answer
 * back to the Responses API, streamed (stream.ts over the chat event source, so heartbeats, the
 * idle cap and the closing event hold) or JSON (json.ts), no larger than the gateway's largest
 * event (MAX_SSE_EVENT_BYTES, budget.ts). A stream is held back until its head holds content, so a
 * chat stream cut before that is retried like any failed attempt.
 */
import type { ChatCapabilities } from '../../config/chat-capabilities';
import { upstreamFault } from '../../core/errors';
import { redactedBytes } from '../../stream/redact-body';
import { upstreamEvents } from '../../stream/source';
import type { AdapterNotes, ProviderAdapter } from '../adapter';
import type { ClientCall } from '../client-call';
import { passthroughAdapter, streamOptions } from '../passthrough';
import { ResponseBuilder } from './builder';
import { eventsFromCompletion, responseFromCompletion } from './json';
import { effectiveCapabilities, refusedField, refusedFields, rememberRefusal } from './learned';
import { translateRequest, type ChatTranslation } from './request';
import { fixedEvents, pastChatPreamble, translatedEvents } from './stream';

export interface ChatAdapterOptions {
  readonly capabilities: ChatCapabilities;
  /** Who the provider is (its health key): what it refused is remembered under this key. */
  readonly providerKey: string;
}

const passthrough = passthroughAdapter('chat');

/** Whether the bridge translates this call (the rest is relayed as it is). */
function translates(call: ClientCall): boolean {
  return call.wire === 'responses' && call.apiPath === '/responses' && call.method === 'POST' && call.json !== null;
}

export function chatAdapter(options: ChatAdapterOptions): ProviderAdapter {
  /** The translation of each call's request, as last sent (an attempt after a refusal sends another). */
  const translations = new WeakMap<
    ClientCall,
    { readonly model: string | null; readonly capabilities: ChatCapabilities; readonly translation: ChatTranslation }
  >();

  const translate = (call: ClientCall, model: string | null): ChatTranslation => {
    const capabilities = effectiveCapabilities(options.capabilities, options.providerKey);
    const known = translations.get(call);
    if (known !== undefined && known.model === model && known.capabilities === capabilities) return known.translation;
    const json = call.json;
    if (json === null) throw new Error('a translated call has a JSON body');
    const translation = translateRequest(json.document, model, capabilities);
    translations.set(call, { model, capabilities, translation });
    return translation;
  };

  const translationOf = (call: ClientCall): ChatTranslation => {
    const known = translations.get(call);
    if (known === undefined) throw new Error('an answer for a call whose request was never translated');
    return known.translation;
  };

  return {
    wire: 'chat',
    serves: (route) => route === 'chat' || route === 'responses',
    request: (call, model) => {
      if (!translates(call)) return passthrough.request(call, model);
      const translation = translate(call, model);
      return {
        path: '/chat/completions',
        body: new TextEncoder().encode(JSON.stringify(translation.body)),
        ready: translation.stream ? pastChatPreamble : null,
      };
    },
    answer: (call, upstream, context) => {
      if (!translates(call)) return passthrough.answer(call, upstream, context);
      const translation = translationOf(call);
      const builder = new ResponseBuilder({
        model: call.json?.model ?? translation.model,
        names: translation.names,
        maxEventBytes: context.maxEventBytes,
        compaction: translation.compaction,
        redactor: context.redactor,
      });
      const { body } = upstream;
      const unexpected = (what: string): Error =>
        upstreamFault('upstream_bad_answer', `codex-edge: upstream ${context.host} answered a Chat Completions request with ${what}; it cannot be translated`);
      switch (body.kind) {
        case 'buffered': {
          if (translation.stream) {
            const events = eventsFromCompletion(builder, body.bytes, context.host);
            return { kind: 'events', source: fixedEvents(events, builder.overflow === null ? 'terminal' : 'too-large', context.redactor) };
          }
          const response = new TextEncoder().encode(JSON.stringify(responseFromCompletion(builder, body.bytes, context.host)));
          return { kind: 'bytes', bytes: redactedBytes(response, context.redactor) };
        }
        case 'sse': {
          if (!translation.stream) {
            body.reader.cancel().catch(() => undefined);
            throw unexpected('a stream to a request for JSON');
          }
          const options = streamOptions(body, 'chat', context);
          const source = translatedEvents({
            source: upstreamEvents(options),
            builder,
            heartbeatMs: context.heartbeatMs,
            explain: options.explain,
            redactor: context.redactor,
          });
          return { kind: 'events', source };
        }
        case 'raw':
          body.stream?.cancel().catch(() => undefined);
          throw unexpected(`a body of type ${upstream.headers.get('content-type') ?? 'unknown'}`);
      }
    },
    learn: (call, failure) => {
      const known = translations.get(call);
      if (known === undefined) return false;
      const field = refusedField(failure, known.translation.optional);
      if (field === null) return false;
      rememberRefusal(options.providerKey, field);
      return true;
    },
    notes: (call): AdapterNotes | null => {
      const known = translations.get(call);
      if (known === undefined) return null;
      const { translation } = known;
      const headers: Record<string, string> = { 'content-type': translation.stream ? 'text/event-stream; charset=utf-8' : 'application/json' };
      if (translation.dropped.length > 0) headers['x-edge-dropped-tools'] = translation.dropped.join(', ');
      return {
        headers,
        log: { to: 'chat', dropped_tools: translation.dropped, changes: translation.notes, refused_fields: refusedFields(options.providerKey) },
      };
    },
  };
}
