/**
 * The real Codex CLI (0.169.0 and 0.171.0) over the WebSocket transport (`supports_websockets =
 * true`) through the built Worker to an HTTP-only provider (the simulator): the handshake is
 * upgraded (no fallback to HTTP), and a plain turn, upstream resets, a cut stream and a final
 * 401 behave as over HTTP: the same requests upstream, the same outcome for the user.
 */
import { describe, expect, it } from 'vitest';
import { CODEX_VERSIONS, quietCodexConfig, runCodex, type CodexVersion } from '../../scripts/lib/codex';
import type { Fault } from '../../simulator/faults';
import { useStack } from './setup';

const stack = useStack();

/** The gateway's log lines on /v1/responses, once Codex has exited and they are in. */
async function responsesLines(): Promise<Record<string, unknown>[]> {
  await stack.gateway.waitForLog((line) => line.includes('"route":"/v1/responses"') && line.includes('"method":"GET"'));
  await new Promise((resolve) => setTimeout(resolve, 200));
  return stack.gateway.requestLines().filter((line) => line['route'] === '/v1/responses');
}

/** Codex's turns (with a prewarm, if it sent one) and its connections, as the gateway logged them. */
async function traffic(): Promise<{ turns: Record<string, unknown>[]; connections: Record<string, unknown>[]; http: Record<string, unknown>[] }> {
  const lines = await responsesLines();
  return {
    turns: lines.filter((line) => line['transport'] === 'websocket' && line['method'] === 'POST' && line['stream_end'] !== 'prewarm'),
    connections: lines.filter((line) => line['method'] === 'GET'),
    http: lines.filter((line) => line['transport'] === 'http' && line['method'] === 'POST'),
  };
}

const run = (version: CodexVersion, apiKey = 'sk-codex-ws') =>
  runCodex({ version, baseUrl: stack.gateway.baseUrl, apiKey, providerLines: ['supports_websockets = true'] });
const always = (fault: Fault): Fault[] => Array.from({ length: 10 }, () => fault);

describe.each(CODEX_VERSIONS)('Codex CLI %s over the WebSocket transport', (version) => {
  it('completes a plain turn on an upgraded socket: no fallback to HTTP', async () => {
    const result = await run(version);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Hello from the flaky provider simulator.');
    expect(result.stdout + result.stderr).not.toMatch(/failed to connect to Responses WebSocket|Reconnecting|falling back/i);
    const { turns, connections, http } = await traffic();
    expect(http).toEqual([]);
    expect(connections).toMatchObject([{ status: 101, transport: 'websocket' }]);
    expect(turns).toMatchObject([{ client: 'codex', status: 200, stream_end: 'terminal', turn: expect.any(Number) as number }]);
    expect(stack.sim.requests).toHaveLength(1);
    expect(stack.sim.requests[0]?.headers['authorization']).toBe('Bearer sk-codex-ws');
    expect(JSON.parse(stack.sim.requests[0]?.body ?? '{}')).toMatchObject({ stream: true, model: 'gpt-test' });
  });

  it('completes a turn while the provider resets the first two attempts', async () => {
    stack.sim.enqueue({ kind: 'reset' }, { kind: 'reset' });
    const result = await run(version);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(/Reconnecting/);
    const { turns } = await traffic();
    expect(turns).toHaveLength(1);
    expect(turns[0]?.['attempts']).toMatchObject([{ outcome: 'stale' }, { outcome: 'stale' }, { outcome: 'ok' }]);
    expect(stack.sim.requests).toHaveLength(3);
  });

  it('retries once when its first stream is cut mid-answer, and succeeds', async () => {
    stack.sim.enqueue({ kind: 'cut', afterEvents: 3 });
    const result = await run(version);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Hello from the flaky provider simulator.');
    const { turns, http } = await traffic();
    expect(http).toEqual([]);
    expect(turns.map((line) => line['stream_end'])).toEqual(['upstream-broke', 'terminal']);
    expect(stack.sim.requests).toHaveLength(2);
  });

  it("stops after exactly one request on an upstream 401, showing the provider's message", async () => {
    stack.sim.enqueue(...always({ kind: 'status', status: 401 }));
    const result = await run(version, 'sk-codex-wrong');
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(/Reconnecting/);
    expect(result.stderr).toContain('Incorrect API key provided');
    const { turns, http } = await traffic();
    expect(http).toEqual([]);
    expect(turns).toHaveLength(1);
    expect(stack.sim.requests).toHaveLength(1);
  });

  it('with the built-in openai provider pointed at the gateway (openai_base_url): WebSocket first, the prewarm answered by the gateway', async () => {
    const configToml = quietCodexConfig(['model = "gpt-test"', `openai_base_url = "${stack.gateway.baseUrl}"`].join('\n'));
    const result = await runCodex({ version, baseUrl: stack.gateway.baseUrl, apiKey: 'unused', configToml });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Hello from the flaky provider simulator.');
    const lines = await responsesLines();
    expect(lines.filter((line) => line['transport'] === 'http')).toEqual([]);
    const [prewarm, turn] = lines.filter((line) => line['method'] === 'POST');
    expect(prewarm).toMatchObject({ stream_end: 'prewarm', attempts: [] });
    expect(turn).toMatchObject({ status: 200, stream_end: 'terminal' });
    // The turn after the prewarm continues it: its frame carries only the new items.
    expect(Number(turn?.['bytes_in'])).toBeLessThan(Number(prewarm?.['bytes_in']));
    expect(stack.sim.requests).toHaveLength(1);
  });
});
