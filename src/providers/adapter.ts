/**
 * The provider adapter seam. A target carries the adapter of its wire API, which owns
 * everything specific to that wire: which client routes it can serve, the upstream path and
 * body for a client request, and how the upstream's answer becomes the client's. Adding a
 * wire (a Chat Completions provider behind the Responses API) is one new adapter here.
 */
import type { UpstreamWire } from '../config/settings';
import type { Redactor } from '../core/redact';
import type { ChunkSource } from '../stream/chunk-source';
import type { EventSource } from '../stream/source';
import type { WireApi } from '../stream/terminal';
import type { UpstreamResponse } from '../upstream/attempt';
import type { AttemptFailure } from '../upstream/outcome';
import type { StreamReady } from '../upstream/body';
import type { ClientCall } from './client-call';

/** What a provider speaks: `responses` serves every OpenAI path, `chat` /v1/chat/completions and, translated, /v1/responses. */
export type ProviderWire = UpstreamWire;

export const PROVIDER_WIRES: readonly ProviderWire[] = ['responses', 'chat'];

export interface UpstreamCall {
  /** The API path below the provider's base URL, e.g. "/responses". */
  readonly path: string;
  readonly body: Uint8Array | null;
  /** For a stream whose preamble the gateway holds back (so a cut there is retried): when its head may go to the client. */
  readonly ready: StreamReady | null;
}

/** What the relay needs to turn an upstream stream into a client's. */
export interface AnswerContext {
  readonly heartbeatMs: number;
  readonly idleMs: number;
  /** The largest single event the relay holds (MAX_SSE_EVENT_BYTES). */
  readonly maxEventBytes: number;
  /** The upstream's host, named in the closing event of a broken stream. */
  readonly host: string;
  /** The request's secrets, kept out of every event and body the client gets. */
  readonly redactor: Redactor;
}

/** The client's answer, before a writer (HTTP response, SSE, WebSocket frames) encodes it. */
export type ClientAnswer =
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  /**
   * A body passed through (only a known secret in it redacted, whatever its type). workerd decoded it (gzip,
   * br: a body in any other encoding is refused, upstream/encoding.ts), and encodes it again when
   * the response names its encoding, so that encoding goes with it.
   */
  | { readonly kind: 'raw'; readonly stream: ReadableStream<Uint8Array> | null; readonly encoding: string | null }
  /** A stream the gateway rewrites (translates): its events. */
  | { readonly kind: 'events'; readonly source: EventSource }
  /**
   * An upstream stream passed on unchanged: its bytes as they came, for an SSE client
   * (stream/chunk-source.ts); or, for a writer that frames events anew, its events instead (one
   * or the other is read, never both).
   */
  | { readonly kind: 'sse'; readonly source: ChunkSource; readonly events: () => EventSource };

/** What a translating adapter changed for one call, as the log line records it. */
export interface TranslationLog {
  /** The wire the request was translated to. */
  readonly to: ProviderWire;
  /** Tool types dropped because the provider cannot run them. */
  readonly dropped_tools: readonly string[];
  /** Other changes (items dropped or rewritten). */
  readonly changes: readonly string[];
  /** Optional fields the provider refused, no longer sent to it. */
  readonly refused_fields: readonly string[];
}

/** What an adapter tells the client (response headers) and the log about one call. */
export interface AdapterNotes {
  readonly headers: Readonly<Record<string, string>>;
  readonly log: TranslationLog;
}

export interface ProviderAdapter {
  readonly wire: ProviderWire;
  /** Whether a provider of this wire can serve a client on a route of the given wire API. */
  serves(route: WireApi): boolean;
  /** The upstream request for a client call; model: the name this provider knows (null: as sent). */
  request(call: ClientCall, model: string | null): UpstreamCall;
  answer(call: ClientCall, upstream: UpstreamResponse, context: AnswerContext): ClientAnswer;
  /**
   * After the attempts ended in a final failure: whether the adapter learned something from it
   * (the provider refused an optional field, which it will no longer send), so that the request
   * is worth sending once more. Translating adapters only.
   */
  learn?(call: ClientCall, failure: AttemptFailure): boolean;
  /** What the adapter changed for this call (after its request was built), or null. */
  notes?(call: ClientCall): AdapterNotes | null;
}
