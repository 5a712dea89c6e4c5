/**
 * The built Worker in workerd (Miniflare), the flaky provider simulator, and the real `openai`
 * SDK with its own retries off, so that every failure the gateway did not absorb would show.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { useStack } from './setup';

// Short breaker periods, so that the test that opens the breaker leaves it closed for the next.
const stack = useStack({ vars: { RETRY_BACKOFF_BASE_MS: '20', RETRY_BACKOFF_MAX_MS: '100', BREAKER_OPEN_MS: '200', BREAKER_MAX_OPEN_MS: '400' } });

const sdk = (baseURL: string): OpenAI => new OpenAI({ baseURL, apiKey: 'sk-e2e-client', maxRetries: 0 });

describe('transient failures inside the budget are invisible', () => {
  it('a burst of 5xx: the SDK gets its answer, with the attempts in a header', async () => {
    stack.sim.enqueue({ kind: 'status', status: 503 }, { kind: 'status', status: 502 }, { kind: 'reset' });
    const { data, response } = await sdk(stack.gateway.baseUrl).responses.create({ model: 'gpt-test', input: 'say hi' }).withResponse();
    expect(data.status).toBe('completed');
    expect(response.headers.get('x-edge-attempts')).toBe('4');
  });

  it('a streamed turn behind a 429 with a short Retry-After completes', async () => {
    stack.sim.enqueue({ kind: 'status', status: 429, headers: { 'retry-after-ms': '100' } });
    const stream = await sdk(stack.gateway.baseUrl).responses.create({ model: 'gpt-test', input: 'say hi', stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe('response.completed');
  });
});

describe('what cannot be absorbed ends clearly', () => {
  it('a mid-stream cut ends the SDK stream with response.failed', async () => {
    stack.sim.enqueue({ kind: 'cut', afterEvents: 4 });
    const stream = await sdk(stack.gateway.baseUrl).responses.create({ model: 'gpt-test', input: 'say hi', stream: true });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const last = events.at(-1);
    expect(last?.type).toBe('response.failed');
    if (last?.type === 'response.failed') expect(last.response.error?.message).toContain('the upstream stream broke');
  });

  it('a persistent failure opens the breaker after three, one probe later: one 503 the SDK can act on', async () => {
    stack.sim.enqueue(...Array.from({ length: 20 }, () => ({ kind: 'status' as const, status: 500 })));
    const error = await sdk(stack.gateway.baseUrl)
      .responses.create({ model: 'gpt-test', input: 'say hi' })
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    if (!(error instanceof OpenAI.APIError)) return;
    expect(error.status).toBe(503);
    const headers = error.headers as Headers | undefined;
    expect(headers?.get('x-should-retry')).toBe('true');
    expect(Number(headers?.get('retry-after-ms'))).toBeGreaterThanOrEqual(1000);
    expect(error.message).toMatch(/is failing \(it answered 500, again and again\)/);
    expect(stack.sim.requests).toHaveLength(4);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the breaker's period passes before the next test
  });

  it('the log line of each request names its attempts and never a key', async () => {
    stack.sim.enqueue({ kind: 'reset' });
    await sdk(stack.gateway.baseUrl).responses.create({ model: 'gpt-test', input: 'say hi' });
    const line = JSON.parse(await stack.gateway.waitForLog((text) => text.includes('"msg":"request"'))) as Record<string, unknown>;
    expect(line).toMatchObject({ route: '/v1/responses', model: 'gpt-test', status: 200, client: 'openai-sdk' });
    expect(line['attempts']).toMatchObject([{ outcome: 'stale' }, { outcome: 'ok' }]);
    expect(stack.gateway.logs().join('\n')).not.toContain('sk-e2e-client');
  });
});
