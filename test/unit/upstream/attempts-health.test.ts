/**
 * The attempt loop with a real IsolateHealth (breaker and retry budget, default policy) against a
 * provider that keeps failing, on fake time: how many requests the provider gets per client
 * request, and what the client is told.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Fetcher } from '../../../src/upstream/attempt';
import { runAttempts, type AttemptsResult } from '../../../src/upstream/attempts';
import { STALE_IN_A_ROW } from '../../../src/upstream/failure-counts';
import { IsolateHealth, type ProviderHealth } from '../../../src/upstream/health';
import type { RetryLimits } from '../../../src/upstream/retry-policy';
import type { Target } from '../../../src/upstream/target';

const LIMITS: RetryLimits = { maxAttempts: 5, budgetMs: 30_000, maxRetryAfterMs: 10_000, backoffBaseMs: 250, backoffMaxMs: 4_000 };
const PROVIDER: Target = { name: 'p', healthKey: 'p', baseUrl: new URL('https://p.example/v1'), auth: { kind: 'client' } };

/** A provider that answers 503 until `upAt` (fake time), 200 after, each answer `latencyMs` late; records when it receives each request. */
function provider(upAt = Infinity, latencyMs = 0): { fetcher: Fetcher; received: number[] } {
  const received: number[] = [];
  const fetcher: Fetcher = async () => {
    received.push(Date.now());
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (Date.now() >= upAt) return new Response('{"object":"response"}', { status: 200, headers: { 'content-type': 'application/json' } });
    const body = JSON.stringify({ error: { message: 'overloaded', type: 'server_error', code: null, param: null } });
    return new Response(body, { status: 503, headers: { 'content-type': 'application/json' } });
  };
  return { fetcher, received };
}

function startRequest(health: ProviderHealth, fetcher: Fetcher): Promise<AttemptsResult> {
  const plan = {
    targets: [PROVIDER] as const,
    requestFor: () => ({ url: 'https://p.example/v1/responses', method: 'POST', headers: new Headers(), body: null }),
    limits: LIMITS,
    timeouts: { headersMs: 1_000 },
    caps: { jsonBytes: 1024 * 1024 },
    health,
  };
  return runAttempts(plan, new AbortController().signal, { fetcher, random: () => 0.5 });
}

async function clientRequest(health: ProviderHealth, fetcher: Fetcher): Promise<AttemptsResult> {
  const pending = startRequest(health, fetcher);
  await vi.runAllTimersAsync();
  return pending;
}

const refusedFor = (result: AttemptsResult): number => (result.kind === 'refused' ? result.retryInMs : -1);

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a provider that is down, behind a breaker', () => {
  it('the first request: three failures open the breaker, one probe after 2 s, then the client is told to wait', async () => {
    const health = new IsolateHealth();
    const { fetcher, received } = provider();
    const result = await clientRequest(health, fetcher);
    expect(received).toHaveLength(4);
    expect(result.kind).toBe('refused');
    expect(refusedFor(result)).toBe(2_500); // the open period doubled to 4 s, less the backoff after the probe (1.5 s)
  });

  it('a request that comes back when told is the one probe, and is told to wait again at once when it fails', async () => {
    const health = new IsolateHealth();
    const { fetcher, received } = provider();
    const first = await clientRequest(health, fetcher);
    vi.advanceTimersByTime(refusedFor(first));
    const started = Date.now();
    const second = await clientRequest(health, fetcher);
    expect(received).toHaveLength(5); // one probe: it does not wait for the next one and probe again
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(refusedFor(second)).toBeGreaterThan(7_000); // open for 8 s now
  });

  it('a client that keeps coming back when told costs the provider one request per retry, 8 s apart at most', async () => {
    const health = new IsolateHealth();
    const { fetcher, received } = provider();
    const waits: number[] = [];
    for (let request = 0; request < 6; request += 1) {
      const result = await clientRequest(health, fetcher);
      waits.push(Math.round(refusedFor(result) / 1_000));
      vi.advanceTimersByTime(refusedFor(result));
    }
    expect(received).toHaveLength(4 + 5);
    expect(waits).toEqual([3, 8, 8, 8, 8, 8]);
  });

  it('a request that waits for the probe gets the answer of a provider that has recovered', async () => {
    const health = new IsolateHealth();
    const { fetcher, received } = provider(1_500);
    const result = await clientRequest(health, fetcher);
    expect(result.kind).toBe('ok');
    expect(received).toHaveLength(4);
    const next = await clientRequest(health, fetcher);
    expect(next.kind).toBe('ok');
    expect(next.attempts).toHaveLength(1);
  });

  it('a request that meets a probe in flight goes as soon as the probe succeeds, not when the open period would end', async () => {
    const health = new IsolateHealth();
    for (let i = 0; i < 3; i += 1) void health.report('p', { kind: 'failure', reason: 'answered 503' }, false);
    vi.advanceTimersByTime(2_000); // the breaker may let its probe through
    const { fetcher, received } = provider(0, 300); // back, answering in 300 ms
    const probe = startRequest(health, fetcher);
    await vi.advanceTimersByTimeAsync(100);
    const waiting = startRequest(health, fetcher); // the probe is in flight: it waits for its outcome
    await vi.advanceTimersByTimeAsync(250);
    expect(received).toEqual([2_000, 2_300]);
    await vi.runAllTimersAsync();
    expect((await probe).kind).toBe('ok');
    expect(await waiting).toMatchObject({ kind: 'ok', attempts: [{ outcome: 'ok' }] });
  });

  it('and is told at once when the probe fails', async () => {
    const health = new IsolateHealth();
    for (let i = 0; i < 3; i += 1) void health.report('p', { kind: 'failure', reason: 'answered 503' }, false);
    vi.advanceTimersByTime(2_000);
    const { fetcher, received } = provider(Infinity, 300);
    const probe = startRequest(health, fetcher);
    await vi.advanceTimersByTimeAsync(100);
    const waiting = startRequest(health, fetcher);
    await vi.advanceTimersByTimeAsync(250);
    expect(await waiting).toMatchObject({ kind: 'refused', attempts: [] });
    expect(Date.now()).toBe(2_350);
    await vi.runAllTimersAsync();
    expect((await probe).kind).toBe('refused');
    expect(received).toEqual([2_000]);
  });

  it('a request that waited for the probe to be due, and finds another request holding it, waits for its outcome too', async () => {
    const health = new IsolateHealth();
    for (let i = 0; i < 3; i += 1) void health.report('p', { kind: 'failure', reason: 'answered 503' }, false);
    const { fetcher, received } = provider(0, 300);
    vi.advanceTimersByTime(1_000);
    const first = startRequest(health, fetcher); // waits until 2 s, then is the probe
    await vi.advanceTimersByTimeAsync(500);
    const second = startRequest(health, fetcher); // waits until 2 s too, then finds the probe in flight
    await vi.runAllTimersAsync();
    expect(await first).toMatchObject({ kind: 'ok', attempts: [{ outcome: 'ok' }] });
    expect(await second).toMatchObject({ kind: 'ok', attempts: [{ outcome: 'ok' }] });
    expect(received).toEqual([2_000, 2_300]);
  });
});

describe('a provider that refuses connections ("Network connection lost." on every attempt)', () => {
  const refusing: Fetcher = () => Promise.reject(new Error('Network connection lost.'));

  it('its probe, lost like our dead socket, does not close the breaker: 21 requests in the next open period cost one run of losses at most', async () => {
    const health = new IsolateHealth();
    let calls = 0;
    const counted: Fetcher = (input, init) => {
      calls += 1;
      return refusing(input, init);
    };
    await clientRequest(health, counted);
    expect(health.breaker('p').state).toBe('open');
    await vi.advanceTimersByTimeAsync(5_000);
    calls = 0;
    const results = await Promise.all(Array.from({ length: 21 }, () => clientRequest(health, counted)));
    // The probe's run of losses taken for our own stale connections (a refused one looks the same, and
    // costs a provider that is down nothing), the one that counts, perhaps another request's; then open again.
    expect(calls).toBeLessThanOrEqual(STALE_IN_A_ROW + 2);
    expect(health.breaker('p').state).toBe('open');
    expect(results.filter((result) => result.kind === 'ok')).toHaveLength(0);
  });
});

describe('the reconnect after a dead pooled socket', () => {
  it('is never charged to the provider retry budget: a spent budget does not surface it', async () => {
    const health = new IsolateHealth();
    health.gate('p', 'first');
    while (health.gate('p', 'retry').kind === 'pass'); // other requests' retries took this window's budget
    let calls = 0;
    const fetcher: Fetcher = () => {
      calls += 1;
      if (calls === 1) return Promise.reject(new Error('Network connection lost.'));
      return Promise.resolve(new Response('{"object":"response"}', { status: 200, headers: { 'content-type': 'application/json' } }));
    };
    const result = await clientRequest(health, fetcher);
    expect(result.kind).toBe('ok');
    expect(calls).toBe(2);
  });
});

describe('a retry waits for the shared verdict on the failure before it', () => {
  /** This isolate's health, with a shared state that answers each report `ms` later with `verdict` (never, with Infinity). */
  function sharedAfter(ms: number, verdict: 'open' | 'closed'): ProviderHealth {
    const local = new IsolateHealth();
    return {
      admit: (key, retry) => local.admit(key, retry),
      onChange: (key, listener) => local.onChange(key, listener),
      report: async (key, outcome, probe) => {
        await local.report(key, outcome, probe);
        if (ms === Infinity) return new Promise<void>(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, ms));
        local.adopt(key, verdict === 'open' ? { state: 'open', until: Date.now() + 60_000, openMs: 60_000, reason: 'answered 503' } : local.breaker(key));
      },
    };
  }

  it('another isolate opened the breaker: the verdict, 400 ms after the failure (past the backoff), stops the retry', async () => {
    const { fetcher, received } = provider();
    const result = await clientRequest(sharedAfter(400, 'open'), fetcher);
    expect(received).toHaveLength(1);
    expect(result.kind).toBe('refused');
    expect(Date.now()).toBe(400);
  });

  it('a shared state that never answers holds a retry back 1 s at most', async () => {
    const { fetcher, received } = provider(1_000);
    const result = await clientRequest(sharedAfter(Infinity, 'closed'), fetcher);
    expect(result.kind).toBe('ok');
    expect(received).toEqual([0, 1_000]);
  });
});
