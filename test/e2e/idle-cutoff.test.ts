/**
 * The problem codex-edge exists for, end to end: a provider that drops idle keep-alive
 * connections (silently, then an RST when the next request arrives on one), real pooled
 * clients (undici, the `openai` SDK with retries off) pausing longer than that cutoff, and
 * the built Worker in workerd (Miniflare). workerd's own reuse of stale upstream sockets is
 * shown in test/integration/failures.test.ts.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { useStack, type Stack } from './setup';
import { runWorkload } from '../../scripts/lib/workload';

const stack = useStack({ simulator: { idleCutoffMs: 100, idleMode: 'reset' }, fresh: false });

const streamedTurn = (stack: Stack): Promise<Response> =>
  fetch(`${stack.gateway.baseUrl}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-e2e-client' },
    body: JSON.stringify({ model: 'gpt-test', input: 'hi', stream: true }),
  });

/**
 * A 503, then a 502, after a pause longer than the cutoff: each backoff (125 ms and more) outlasts
 * the 100 ms cutoff too, and workerd reuses the socket the last answer came on, so every attempt
 * but the reconnects finds its pooled socket dropped. Returns what each attempt got.
 */
async function retriesOnStaleSockets(stack: Stack): Promise<(string | number)[]> {
  await (await streamedTurn(stack)).text();
  stack.sim.enqueue({ kind: 'status', status: 503 }, { kind: 'status', status: 502 });
  return turnAfterPause(stack);
}

/**
 * Six turns at once, then a pause longer than the cutoff: workerd keeps a connection for each, and
 * all six are dead when the next turn comes. Returns what each of that turn's attempts got.
 */
async function afterConcurrentTurns(stack: Stack): Promise<(string | number)[]> {
  await Promise.all(Array.from({ length: 6 }, async () => (await streamedTurn(stack)).text()));
  return turnAfterPause(stack);
}

/** After a pause longer than the cutoff, one turn: whole, its log line clean; what each of its attempts got. */
async function turnAfterPause(stack: Stack): Promise<(string | number)[]> {
  await new Promise((resolve) => setTimeout(resolve, 200));
  stack.gateway.clearLogs();
  const response = await streamedTurn(stack);
  expect(response.status).toBe(200);
  expect(await response.text()).toContain('response.completed');
  await stack.gateway.waitForLog(/"msg":"request"/);
  const [line] = stack.gateway.requestLines();
  expect(line).toMatchObject({ status: 200, breaker: null });
  return ((line?.['attempts'] ?? []) as { outcome: string; status: number | null }[]).map((attempt) => attempt.status ?? attempt.outcome);
}

describe('a provider that drops idle keep-alive connections with an RST', () => {
  it('breaks a pooled client calling it directly, and not the same client through the gateway (50 requests, 0 failures)', async () => {
    // The client pauses longer than the provider's idle cutoff, as agents do between turns.
    const direct = await runWorkload({ baseUrl: stack.sim.baseUrl, requests: 8, pauseMs: 200 });
    // Every request that finds its pooled socket stale fails: about every other one here.
    expect(direct.failures.length).toBeGreaterThanOrEqual(3);
    expect(direct.failures[0]).toMatch(/ECONNRESET|other side closed|socket/i);

    const through = await runWorkload({ baseUrl: stack.gateway.baseUrl, requests: 50, pauseMs: 200 });
    expect(through.failures).toEqual([]);
  });

  it('a retry whose backoff outlasts the cutoff finds its pooled socket dropped too: retried at once, not charged (503, then 502)', async () => {
    expect(await retriesOnStaleSockets(stack)).toEqual(['stale', 503, 'stale', 502, 'stale', 200]);
  });

  it('after six turns at once and a pause, the next turn goes through the dead connections workerd kept for each', async () => {
    const attempts = await afterConcurrentTurns(stack);
    expect(attempts.at(-1)).toBe(200);
    expect(attempts.slice(0, -1).every((attempt) => attempt === 'stale')).toBe(true);
  });

  it('the openai SDK (retries off) sees no failure through the gateway', async () => {
    const client = new OpenAI({ baseURL: stack.gateway.baseUrl, apiKey: 'sk-e2e-client', maxRetries: 0 });
    for (let i = 0; i < 5; i += 1) {
      const response = await client.responses.create({ model: 'gpt-test', input: 'say hi' });
      expect(response.status).toBe('completed');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
});

describe('a provider whose load balancer answers a forgotten connection with an HTML 400', () => {
  const balanced = useStack({ simulator: { idleCutoffMs: 100, idleMode: 'bad-request' }, fresh: false });

  it('the same on every retry: each such 400 after an answer is retried once at once, never taken for the final answer (503, then 502)', async () => {
    expect(await retriesOnStaleSockets(balanced)).toEqual([400, 503, 400, 502, 400, 200]);
  });

  it('after six turns at once and a pause, each dead connection’s page is retried, never taken for the answer', async () => {
    const attempts = await afterConcurrentTurns(balanced);
    expect(attempts.at(-1)).toBe(200);
    expect(attempts.slice(0, -1).every((attempt) => attempt === 400)).toBe(true);
  });
});
