/**
 * A bare node:http client for the hostile-fault tests: no decompression, no redirects,
 * fresh connection per request; counts every byte but keeps only the first `keep`, and
 * can give up after some bytes or some time (like a client with a cap or a deadline).
 */
import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

export interface RawOutcome {
  status: number | null;
  headers: IncomingHttpHeaders;
  /** The first `keep` bytes of the body. */
  body: Buffer;
  /** Body bytes received in all. */
  received: number;
  /** The response ended normally (all of Content-Length, or the last chunk). */
  ended: boolean;
  /** A transport error code, or null (our own give-up is not an error). */
  error: string | null;
}

export interface RawOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Keep at most this many body bytes (default: all). */
  keep?: number;
  /** Give up once this many body bytes arrived. */
  stopAfterBytes?: number;
  /** Give up this long after the request was sent. */
  stopAfterMs?: number;
  /** Called with the response as soon as headers arrive (e.g. to pause it). */
  onResponse?: (res: IncomingMessage) => void;
}

export function rawRequest(url: string, options: RawOptions = {}): Promise<RawOutcome> {
  const { keep = Infinity, stopAfterBytes = Infinity } = options;
  const outcome: RawOutcome = { status: null, headers: {}, body: Buffer.alloc(0), received: 0, ended: false, error: null };
  const kept: Buffer[] = [];
  let keptBytes = 0;
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      outcome.body = Buffer.concat(kept);
      req.destroy();
      resolve(outcome);
    };
    const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const req = request(url, {
      method: options.method ?? (payload === undefined ? 'GET' : 'POST'),
      agent: false,
      headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    });
    req.on('response', (res) => {
      outcome.status = res.statusCode ?? null;
      outcome.headers = res.headers;
      options.onResponse?.(res);
      res.on('data', (chunk: Buffer) => {
        outcome.received += chunk.length;
        if (keptBytes < keep) {
          const part = chunk.subarray(0, keep - keptBytes);
          kept.push(Buffer.from(part));
          keptBytes += part.length;
        }
        if (outcome.received >= stopAfterBytes) finish();
      });
      res.on('end', () => {
        outcome.ended = true;
        finish();
      });
      res.on('error', (error: NodeJS.ErrnoException) => {
        if (!done) outcome.error = error.code ?? error.name;
        finish();
      });
      res.on('close', finish);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!done) outcome.error = error.code ?? error.name;
      finish();
    });
    if (options.stopAfterMs !== undefined) timer = setTimeout(finish, options.stopAfterMs);
    req.end(payload);
  });
}

/** The `data:` payloads of an SSE text, parsed when they are JSON. */
export function sseData(text: string): unknown[] {
  return [...text.matchAll(/^data: (.*)$/gm)].map((m) => {
    try {
      return JSON.parse(m[1] ?? '') as unknown;
    } catch {
      return m[1];
    }
  });
}
