/**
 * Clients that go away mid-stream, through real HTTP connections to the built Worker: workerd
 * stops pulling a body whose client is gone without telling the Worker, so this is where a
 * lost log line shows (test/integration/log-line.test.ts covers every ending inside workerd).
 */
import { describe, expect, it } from 'vitest';
import { until, useStack } from './setup';

// Long streams (5,000 deltas), so that a client that leaves does so before the stream ends.
const stack = useStack({ simulator: { deltaCount: 5000 } });

describe('a client that leaves a stream', () => {
  it.each(['after the first chunk', 'before reading any byte'])('%s: 20 clients → 20 log lines, each client-gone or terminal', async (when) => {
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const controller = new AbortController();
        const response = await fetch(`${stack.gateway.baseUrl}/responses`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer sk-e2e-client', originator: 'codex_exec' },
          body: JSON.stringify({ model: 'gpt-test', stream: true, input: 'hi' }),
          signal: controller.signal,
        });
        if (when === 'after the first chunk') await response.body?.getReader().read();
        controller.abort();
      }),
    );
    await until(() => stack.gateway.requestLines().length >= 20, 5000);
    const lines = stack.gateway.requestLines();
    expect(lines).toHaveLength(20);
    for (const line of lines) expect(['client-gone', 'terminal']).toContain(line['stream_end']);
  });
});
