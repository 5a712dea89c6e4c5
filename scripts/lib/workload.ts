/**
 * A client workload as coding agents produce it: streamed `POST /v1/responses` requests over
 * a pooled keep-alive connection (undici, as in most SDK-based clients), with pauses between
 * them. A request counts as failed when the client sees an error, a non-2xx status, or a stream
 * that does not end in `response.completed`: whatever a user would notice.
 */
import { Agent, request } from 'undici';

export interface WorkloadOptions {
  /** Base URL including /v1. */
  readonly baseUrl: string;
  readonly requests: number;
  /** Pause before each request after the first. */
  readonly pauseMs: number;
  readonly apiKey?: string;
  /** Called before request i (0-based); lets a caller inject upstream faults. */
  readonly beforeRequest?: (index: number) => void | Promise<void>;
}

export interface WorkloadResult {
  readonly requests: number;
  readonly failures: readonly string[];
  readonly ms: number;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One streamed turn; resolves with null when it completed, or what went wrong. */
export async function streamedTurn(dispatcher: Agent, options: WorkloadOptions): Promise<string | null> {
  try {
    const response = await request(`${options.baseUrl}/responses`, {
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${options.apiKey ?? 'sk-demo'}` },
      body: JSON.stringify({ model: 'gpt-test', stream: true, input: 'say hi' }),
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) return `HTTP ${response.statusCode}: ${text.slice(0, 160)}`;
    if (!text.includes('"type":"response.completed"')) {
      const failed = /"type":"response\.failed".*?"message":"([^"]*)"/.exec(text);
      return failed ? `response.failed: ${failed[1]}` : 'stream ended without response.completed';
    }
    return null;
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return `${err instanceof Error ? err.message : String(err)}${cause}`;
  }
}

export async function runWorkload(options: WorkloadOptions): Promise<WorkloadResult> {
  // Pooled keep-alive, idle sockets kept far longer than any provider keeps them.
  const dispatcher = new Agent({ connections: 1, keepAliveTimeout: 120_000, keepAliveMaxTimeout: 120_000 });
  const failures: string[] = [];
  const started = performance.now();
  try {
    for (let index = 0; index < options.requests; index += 1) {
      if (index > 0) await pause(options.pauseMs);
      await options.beforeRequest?.(index);
      const failure = await streamedTurn(dispatcher, options);
      if (failure !== null) failures.push(`#${index + 1}: ${failure}`);
    }
  } finally {
    await dispatcher.close();
  }
  return { requests: options.requests, failures, ms: performance.now() - started };
}
