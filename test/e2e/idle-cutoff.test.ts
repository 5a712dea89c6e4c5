/**
 * The problem codex-edge exists for, end to end: a provider that drops idle keep-alive
 * connections (silently, then an RST when the next request arrives on one), real pooled
 * clients (undici, the `openai` SDK with retries off) pausing longer than that cutoff, and
 * the built Worker in workerd (Miniflare). workerd's own reuse of stale upstream sockets is
 * shown in test/integration/failures.test.ts.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { useStack } from './setup';
import { runWorkload } from '../../scripts/lib/workload';

const stack = useStack({ simulator: { idleCutoffMs: 100, idleMode: 'reset' }, fresh: false });

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

  it('the openai SDK (retries off) sees no failure through the gateway', async () => {
    const client = new OpenAI({ baseURL: stack.gateway.baseUrl, apiKey: 'sk-e2e-client', maxRetries: 0 });
    for (let i = 0; i < 5; i += 1) {
      const response = await client.responses.create({ model: 'gpt-test', input: 'say hi' });
      expect(response.status).toBe('completed');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
});
