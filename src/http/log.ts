/**
 * One structured JSON line per request, written when the request is over (for a stream: when
 * the stream ends). Only fields named here are ever logged: never headers, keys or bodies, so
 * no Authorization, key or `x-codex-turn-metadata` can reach a log line; every string value
 * passes the request's redactor, then is clipped, before the line is serialised (the field
 * names are the gateway's own), so the line is always valid JSON whatever a client presents as
 * its key. The trace also holds that redactor: every answer of the request is redacted with it.
 */
import { shownText } from '../core/clip';
import { Redactor } from '../core/redact';
import type { ClientProfile } from './client-profile';
import type { TranslationLog } from '../providers/adapter';
import type { StreamFailure } from '../stream/terminal';
import type { TokenUsage } from '../stream/usage';
import type { AttemptRecord } from '../upstream/attempts';
import type { LimitKind, LimitScope } from '../upstream/limiter';

export interface RequestLog {
  request_id: string;
  method: string;
  route: string;
  client: ClientProfile;
  /** How the client's call arrived: an HTTP request, or a turn (or the connection) of a WebSocket. */
  transport: 'http' | 'websocket';
  /** The WebSocket connection's id (its handshake's request id), or null. */
  connection: string | null;
  /** A WebSocket turn's number on its connection; on the connection's own line, the turns it served. */
  turn: number | null;
  team: string | null;
  model: string | null;
  stream: boolean | null;
  upstream_host: string | null;
  attempts: readonly AttemptRecord[];
  status: number | null;
  error_code: string | null;
  error: string | null;
  /** The internal cause of a gateway error (a stack), never shown to the client. */
  error_cause: string | null;
  stream_end: string | null;
  /** The client saw a failure (an error answer, a stream that ended in one); null for a request that was never relayed. */
  failed: boolean | null;
  /** What a translating adapter changed (a Responses request sent to a Chat provider), or null. */
  translation: TranslationLog | null;
  /** The tokens the provider reported for the answer (a JSON body's usage, a stream's terminal event or usage chunk). */
  usage: TokenUsage | null;
  /** 'open' when the provider's breaker turned the request away. */
  breaker: 'open' | null;
  /** The team's or key's limit that turned the request away (429), and the wait it was told. */
  limit: { readonly scope: LimitScope; readonly limit: LimitKind; readonly max: number; readonly retry_in_ms: number } | null;
  ttfb_ms: number | null;
  total_ms: number | null;
  bytes_in: number;
  bytes_out: number | null;
}

type Fields = Partial<Omit<RequestLog, 'request_id' | 'method' | 'route' | 'client'>>;

/**
 * Pure: a failed stream's failure (its last event's code and message) as the line's error
 * fields; nothing for a stream that said none, so a relay that ended well sets nothing. Redacted
 * and clipped when the line is written, as every field is.
 */
export function failureFields(failure: StreamFailure | null): Pick<Fields, 'error_code' | 'error'> {
  return failure === null ? {} : { error_code: failure.code, error: failure.message };
}

/** Where a written line goes besides the log (the recent-request store): the entry and the redactor its line passed. */
export type LogSink = (entry: Readonly<RequestLog>, redactor: Redactor, startedAt: number) => Promise<void>;

/** The log line of one request, filled in as the request goes and written once. */
export class RequestTrace {
  readonly startedAt = Date.now();
  readonly #entry: RequestLog;
  #written = false;
  #redactor = Redactor.patterns;
  #deferred = false;
  #wrote: () => void = () => undefined;
  readonly #sinks: LogSink[] = [];
  /** Settles once the line is written and every sink has settled. */
  readonly written = new Promise<void>((resolve) => {
    this.#wrote = resolve;
  });

  constructor(requestId: string, method: string, route: string, client: ClientProfile) {
    this.#entry = {
      request_id: requestId,
      method,
      route,
      client,
      transport: 'http',
      connection: null,
      turn: null,
      team: null,
      model: null,
      stream: null,
      upstream_host: null,
      attempts: [],
      status: null,
      error_code: null,
      error: null,
      error_cause: null,
      stream_end: null,
      failed: null,
      translation: null,
      usage: null,
      breaker: null,
      limit: null,
      ttfb_ms: null,
      total_ms: null,
      bytes_in: 0,
      bytes_out: null,
    };
  }

  /** What this request's answers and log line are redacted with. */
  get redactor(): Redactor {
    return this.#redactor;
  }

  /** Secrets that become known as the request goes (settings, the client's keys, a team's provider keys). */
  protect(redactor: Redactor): void {
    this.#redactor = redactor;
  }

  get requestId(): string {
    return this.#entry.request_id;
  }

  /** Also hands the line to `sink` when it is written. */
  sendTo(sink: LogSink): void {
    this.#sinks.push(sink);
  }

  set(fields: Fields): void {
    Object.assign(this.#entry, fields);
  }

  /** The response is committed: records time to first byte. */
  firstByte(status: number): void {
    this.set({ status, ttfb_ms: Date.now() - this.startedAt });
  }

  /** The line will be written by whoever ends the body (a relayed stream), not at response time. */
  defer(): void {
    this.#deferred = true;
  }

  get deferred(): boolean {
    return this.#deferred;
  }

  finish(fields: Fields = {}): void {
    if (this.#written) return;
    this.#written = true;
    try {
      this.set({ ...fields, total_ms: Date.now() - this.startedAt });
      if (this.#entry.ttfb_ms === null) this.#entry.ttfb_ms = this.#entry.total_ms;
      const record = { level: this.#entry.status !== null && this.#entry.status >= 500 ? 'error' : 'info', msg: 'request', ...this.#entry };
      // Each value, not the serialised line: a key presented as `"level":"warn` must not match the line's own syntax.
      const redactor = this.#redactor;
      console.log(JSON.stringify(record, (_key, value: unknown) => (typeof value === 'string' ? shownText(value, redactor) : value)));
    } finally {
      const entry = this.#entry;
      void Promise.allSettled(this.#sinks.map((sink) => sink(entry, this.#redactor, this.startedAt))).then(this.#wrote);
    }
  }
}
