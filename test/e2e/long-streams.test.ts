/**
 * Long streams through real HTTP connections to the built Worker, as `npm run bench`'s bulk
 * workload sends them (10 MB in the 16 KiB writes of a real provider): an upstream that writes
 * faster than its clients read is where the relay's backpressure works, and where a relay that
 * stalls would be cut by workerd ("the Worker's code had hung") into a clean close short of the
 * terminal event. Every stream arrives whole, byte for byte what the provider sent.
 */
import { describe, expect, it } from 'vitest';
import { until, useStack } from './setup';

const stack = useStack({ simulator: { deltaCount: 7000, deltaSize: 256, streamWriteBytes: 16 * 1024 } });

/** A stream with what differs between two runs of the same answer (its ids, its creation time) blanked. */
const sameBytes = (text: string): string => text.replace(/(resp|msg)_[0-9a-f]+/g, '$1_').replace(/"created_at":\d+/g, '"created_at":0');

async function turn(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-e2e-client' },
    body: JSON.stringify({ model: 'gpt-test', stream: true, input: 'hi' }),
  });
  expect(response.status).toBe(200);
  return response.text();
}

describe('a 10 MB stream', () => {
  it('4 at once, each read to its end: every one whole, the same bytes as straight from the provider, ended by its terminal event', async () => {
    const direct = await turn(stack.sim.baseUrl);
    expect(direct.length).toBeGreaterThan(10_000_000);
    const relayed = await Promise.all(Array.from({ length: 4 }, () => turn(stack.gateway.baseUrl)));
    for (const text of relayed) {
      expect(text.length).toBe(direct.length);
      expect(sameBytes(text)).toBe(sameBytes(direct));
      expect(text).toMatch(/"type":"response\.completed"[^\n]*\n\n$/);
    }
    await until(() => stack.gateway.requestLines().length >= 4, 5000);
    expect(stack.gateway.requestLines().map((line) => line['stream_end'])).toEqual(['terminal', 'terminal', 'terminal', 'terminal']);
  });
});
