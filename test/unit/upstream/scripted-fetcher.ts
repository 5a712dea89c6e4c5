/**
 * The attempt loop's unit tests share this: a scripted fetcher that answers each attempt in turn
 * and records when it started, the answers it can give, two targets, the plan, and a run that
 * lets fake time pass for every wait. `random` is fixed, so each delay the policy chooses is
 * exact, in milliseconds of (fake) real time.
 */
import { vi } from 'vitest';
import type { ProviderHealth } from '../../../src/upstream/health';
import type { AttemptRequest, Fetcher } from '../../../src/upstream/attempt';
import { runAttempts, type AttemptPlan, type AttemptRecord, type AttemptsResult } from '../../../src/upstream/attempts';
import type { RetryLimits } from '../../../src/upstream/retry-policy';
import type { Target } from '../../../src/upstream/target';

/** random 0.5 → each backoff is ¾ of its ceiling: 75, 150, 300, 600 ms with these limits. */
export const RANDOM = 0.5;
const LIMITS: RetryLimits = { maxAttempts: 5, budgetMs: 30_000, maxRetryAfterMs: 10_000, backoffBaseMs: 100, backoffMaxMs: 1_000 };
export const HEADERS_MS = 1_000;

/** One scripted answer: called with the attempt's fetch init, so it can honour its signal like fetch() does. */
export type Script = (init: RequestInit) => Promise<Response>;

export const answer =
  (status: number, body: string | null, headers: Record<string, string> = {}): Script =>
  () =>
    Promise.resolve(new Response(body, { status, headers }));
const jsonAnswer = (status: number, doc: unknown, headers: Record<string, string> = {}): Script =>
  answer(status, JSON.stringify(doc), { 'content-type': 'application/json', ...headers });
export const ok = (): Script => jsonAnswer(200, { object: 'response', status: 'completed' });
export const sseOk = (): Script => answer(200, 'event: response.created\ndata: {}\n\n', { 'content-type': 'text/event-stream' });
export const upstreamError = (status: number, code: string | null = null, headers: Record<string, string> = {}): Script =>
  jsonAnswer(status, { error: { message: `upstream said ${status}`, type: 'server_error', code, param: null } }, headers);
export const htmlPage = (status: number): Script => answer(status, '<html><body><h1>Bad Request</h1></body></html>', { 'content-type': 'text/html' });
export const networkLost = (): Script => () => Promise.reject(new Error('Network connection lost.'));

/** Headers that never come: like fetch(), the promise settles only when the attempt's signal aborts. */
export const hangs = (): Script => (init) =>
  new Promise((_resolve, reject) => {
    init.signal?.addEventListener('abort', () => reject(init.signal?.reason instanceof Error ? init.signal.reason : new Error('aborted')));
  });

/** A 200 stream whose first bytes never come; like fetch(), its body errors when the attempt's signal aborts. */
export const silentStream = (): Script => (init) => {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      init.signal?.addEventListener('abort', () => controller.error(init.signal?.reason));
    },
  });
  return Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }));
};

export interface FetchCall {
  readonly url: string;
  readonly init: RequestInit;
  /** Fake time when the attempt started. */
  readonly at: number;
}

/** A fetcher that plays the scripts in order and records every call; one call too many fails the test. */
export function scriptedFetcher(...scripts: Script[]): { fetcher: Fetcher; calls: FetchCall[] } {
  const calls: FetchCall[] = [];
  const queue = [...scripts];
  const fetcher: Fetcher = (url, init) => {
    calls.push({ url, init, at: Date.now() });
    const next = queue.shift();
    return next === undefined ? Promise.reject(new Error(`unexpected fetch #${calls.length}`)) : next(init);
  };
  return { fetcher, calls };
}

const target = (name: string): Target => ({ name, healthKey: name, baseUrl: new URL(`https://${name}.example/v1`), auth: { kind: 'key', key: `sk-${name}` } });
export const A = target('a');
export const B = target('b');

/** A fresh request per call, naming its target, as routes/proxy.ts builds one. */
export function freshRequest(t: Target): AttemptRequest {
  return {
    url: `${t.baseUrl.href}/responses`,
    method: 'POST',
    headers: new Headers({ authorization: `Bearer sk-${t.name}` }),
    body: new TextEncoder().encode('{"model":"m"}'),
  };
}

/** Provider health that lets every attempt through: these tests are about one request's own policy. */
const ALWAYS_HEALTHY: ProviderHealth = { admit: () => Promise.resolve({ kind: 'pass' }), report: () => Promise.resolve(), onChange: () => () => undefined };

export function planFor(targets: readonly [Target, ...Target[]], limits: Partial<RetryLimits> = {}): AttemptPlan<Target> {
  return {
    targets,
    requestFor: freshRequest,
    limits: { ...LIMITS, ...limits },
    timeouts: { headersMs: HEADERS_MS },
    caps: { jsonBytes: 1024 * 1024 },
    health: ALWAYS_HEALTHY,
  };
}

export interface Run {
  readonly result: AttemptsResult;
  readonly calls: FetchCall[];
}

/** Runs the loop to its end, letting fake time pass for every wait it makes. */
export async function run(
  scripts: Script[],
  options: { targets?: readonly [Target, ...Target[]]; limits?: Partial<RetryLimits>; client?: AbortSignal } = {},
): Promise<Run> {
  const { fetcher, calls } = scriptedFetcher(...scripts);
  const pending = runAttempts(planFor(options.targets ?? [A], options.limits), options.client ?? new AbortController().signal, {
    fetcher,
    random: () => RANDOM,
  });
  await vi.runAllTimersAsync();
  return { result: await pending, calls };
}

/** The records without their durations: [target, outcome, status]. */
export const trail = (attempts: readonly AttemptRecord[]): [string, string, number | null][] => attempts.map((r) => [r.target, r.outcome, r.status]);
export const startTimes = (calls: readonly FetchCall[]): number[] => calls.map((call) => call.at);
