/**
 * The real Codex CLI (0.169.0, from npm) through the built Worker in workerd, against the
 * flaky provider simulator: resets are absorbed, and a request that can never succeed ends
 * the run after one request with the provider's own message, instead of six.
 */
import { describe, expect, it } from 'vitest';
import { runCodex } from '../../scripts/lib/codex';
import { useStack } from './setup';

const stack = useStack();

/** The gateway's log lines for Codex's model requests. */
function codexRequests(): Record<string, unknown>[] {
  return stack.gateway
    .logs()
    .filter((line) => line.includes('"msg":"request"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line['route'] === '/v1/responses' && line['method'] === 'POST');
}

describe('Codex CLI through the gateway', () => {
  it('completes a turn while the provider resets the first two attempts', async () => {
    stack.sim.enqueue({ kind: 'reset' }, { kind: 'reset' });
    const run = await runCodex({ baseUrl: stack.gateway.baseUrl, apiKey: 'sk-codex-e2e' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toMatch(/Reconnecting/);
    await stack.gateway.waitForLog((line) => line.includes('"route":"/v1/responses"'));
    const [turn, ...more] = codexRequests();
    expect(more).toEqual([]);
    expect(turn).toMatchObject({ client: 'codex', status: 200, stream: true, stream_end: 'terminal' });
    expect(turn?.['attempts']).toMatchObject([{ outcome: 'transport' }, { outcome: 'transport' }, { outcome: 'ok' }]);
    expect(stack.sim.requests[2]?.headers['authorization']).toBe('Bearer sk-codex-e2e');
  });

  it("onboards in one copy: the deployment's own /v1/codex-config block, as handed out, completes a turn", async () => {
    const block = await (await fetch(`${stack.gateway.baseUrl}/codex-config?model=gpt-test`)).text();
    expect(stack.sim.requests).toEqual([]); // the gateway's own route, not relayed
    // Pasted at the top of a config.toml that has tables of its own (FIELD-NOTES §5).
    const configToml = ['check_for_update_on_startup = false', block, '[analytics]', 'enabled = false', '[features]', 'shell_snapshot = false', 'plugins = false', ''].join('\n');
    const run = await runCodex({ baseUrl: stack.gateway.baseUrl, apiKey: 'unused', configToml, env: { OPENAI_API_KEY: 'sk-codex-own-key' } });
    expect(run.code, run.stderr).toBe(0);
    expect(stack.sim.requests.at(-1)?.headers['authorization']).toBe('Bearer sk-codex-own-key');
  });

  it('stops after exactly one request on an upstream 401, showing the provider\'s message', async () => {
    stack.sim.enqueue(...Array.from({ length: 10 }, () => ({ kind: 'status' as const, status: 401 })));
    const run = await runCodex({ baseUrl: stack.gateway.baseUrl, apiKey: 'sk-codex-wrong' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('Incorrect API key provided');
    expect(run.stderr).toContain('answered 401');
    await stack.gateway.waitForLog((line) => line.includes('"route":"/v1/responses"'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(codexRequests()).toHaveLength(1);
    expect(stack.sim.requests).toHaveLength(1);
  });
});
