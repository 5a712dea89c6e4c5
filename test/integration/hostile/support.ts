/**
 * What the hostile-upstream tests share: a gateway that spends its own upstream key (so both
 * keys are secrets the log must not hold), one call timed with its log lines, and the checks
 * every hostile case ends with: no log line over the cap, no secret in any.
 */
import { expect, vi } from 'vitest';
import { GATEWAY, callGateway, sseData } from '../support';

export const UPSTREAM_KEY = 'sk-proj-hostile-upstream-Qm7Rt2Vx9Kp4Ln8Wz3';
export const CLIENT_KEY = 'ck-hostile-client-Hs5Jd8Fg2Lq6Tz9Xb4';
export const OWNER_ENV: Partial<Cloudflare.Env> = { UPSTREAM_API_KEY: UPSTREAM_KEY, GATEWAY_API_KEYS: CLIENT_KEY };

/**
 * The longest log line a request may write: every field an upstream can fill is clipped to
 * 2 KiB (core/clip.ts), and a line has two such fields (error, error_cause) besides short ones.
 */
export const LOG_LINE_MAX_CHARS = 8 * 1024;
/** The longest error message a client is shown: 2 KiB and the clip's "… (N more characters)". */
export const MESSAGE_MAX_CHARS = 2048 + '… (99999999 more characters)'.length;

export const SDK_HEADERS = { 'user-agent': 'OpenAI/JS 6.30.1', 'x-stainless-lang': 'js' };

function apiPost(path: string, headers: Record<string, string>, body: Record<string, unknown>): Request {
  return new Request(`${GATEWAY}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${CLIENT_KEY}`, ...headers },
    body: JSON.stringify(body),
  });
}

/** A Responses turn (`fields` added to its body, e.g. stream: true). */
export function turn(headers: Record<string, string>, fields: Record<string, unknown> = {}): Request {
  return apiPost('/v1/responses', headers, { model: 'gpt-test', input: 'hi', ...fields });
}

/** A Chat Completions request. */
export function chatTurn(headers: Record<string, string>, fields: Record<string, unknown> = {}): Request {
  return apiPost('/v1/chat/completions', headers, { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }], ...fields });
}

export interface Outcome<T> {
  readonly response: Response;
  /** What `read` made of the response (its body read, typically). */
  readonly read: T;
  /** From the request to the body read. */
  readonly ms: number;
  /** Every console line the Worker wrote meanwhile. */
  readonly lines: string[];
}

/** Calls the gateway (single upstream with the owner's key, plus `env`), reads the answer with `read`, and keeps the log lines (`relayed`: see callGateway). */
export async function hostileCall<T>(
  request: Request,
  env: Partial<Cloudflare.Env>,
  read: (response: Response) => Promise<T>,
  relayed = false,
): Promise<Outcome<T>> {
  const lines: string[] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    }),
  );
  try {
    const started = Date.now();
    const response = await callGateway(request, { ...OWNER_ENV, ...env }, relayed);
    const result = await read(response);
    return { response, read: result, ms: Date.now() - started, lines };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

/**
 * A body as its client reads it. workerd encodes a body sent with `content-encoding: gzip` or
 * `br` on the wire (here, in the Worker's own Response, it is still plain); under any other name
 * the bytes are what the client gets, and it decodes them itself (gzip and deflate, whatever the
 * name's case; anything else is read as it is).
 */
export async function clientText(response: Response): Promise<string> {
  const encoding = response.headers.get('content-encoding');
  const format = encoding === null || encoding === 'gzip' ? null : encoding.toLowerCase();
  // Bytes decoded, not response.text(): workerd warns on every text() of a body labelled binary.
  if (response.body === null || (format !== 'gzip' && format !== 'deflate')) return new TextDecoder().decode(await response.arrayBuffer());
  return new Response(response.body.pipeThrough(new DecompressionStream(format))).text();
}

/** The request's log line (the one with msg "request"), parsed. */
export function requestLine(lines: readonly string[]): Record<string, unknown> {
  const line = lines.find((text) => text.includes('"msg":"request"'));
  if (line === undefined) throw new Error(`no request log line among:\n${lines.join('\n')}`);
  return JSON.parse(line) as Record<string, unknown>;
}

/** Every hostile case ends here: one request line, no line over the cap, neither key in any. */
export function expectSafeLog(lines: readonly string[]): void {
  expect(lines.filter((line) => line.includes('"msg":"request"'))).toHaveLength(1);
  for (const line of lines) {
    expect(line.length, `a log line of ${line.length} characters`).toBeLessThanOrEqual(LOG_LINE_MAX_CHARS);
    for (const secret of [UPSTREAM_KEY, CLIENT_KEY, UPSTREAM_KEY.slice(-12), CLIENT_KEY.slice(-12)]) expect(line).not.toContain(secret);
  }
}

export interface ErrorShape {
  readonly message: string;
  readonly type: string;
  readonly code: string | null;
  readonly param: string | null;
}

export function errorIn(text: string): ErrorShape {
  return (JSON.parse(text) as { error: ErrorShape }).error;
}

/** The `data` of each SSE event of a body, parsed (a heartbeat comment has none). */
export const dataOf = sseData;

export function typeOf(event: unknown): string {
  return typeof event === 'object' && event !== null && 'type' in event ? String(event.type) : String(event);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
