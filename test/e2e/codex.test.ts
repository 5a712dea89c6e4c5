/**
 * The real Codex CLI (0.169.0 and 0.171.0, from npm) through the built Worker in workerd,
 * against the flaky provider simulator: resets are absorbed, and a request that can never
 * succeed ends the run after one request with the provider's own message, instead of six.
 * Codex runs with its default retry settings: its retry loops are what these tests watch for.
 */
import { describe, expect, it } from 'vitest';
import { CODEX_VERSIONS, codexCliVersion, quietCodexConfig, runCodex } from '../../scripts/lib/codex';
import type { Fault } from '../../simulator/faults';
import { useStack } from './setup';

const stack = useStack();

/** The gateway's log lines for Codex's model requests. */
function codexRequests(): Record<string, unknown>[] {
  return stack.gateway.requestLines().filter((line) => line['route'] === '/v1/responses' && line['method'] === 'POST');
}

/** Codex's requests to the gateway and the gateway's to the provider, once Codex has exited. */
async function requestCounts(): Promise<{ codex: number; upstream: number }> {
  await stack.gateway.waitForLog((line) => line.includes('"route":"/v1/responses"'));
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { codex: codexRequests().length, upstream: stack.sim.requests.length };
}

/** More answers than Codex would ever ask for: a retry loop shows in the counts, not in an empty queue. */
const always = (fault: Fault): Fault[] => Array.from({ length: 10 }, () => fault);

/** What a provider without a Responses API answers (OpenAI-compatible servers that only speak Chat Completions). */
const UNKNOWN_URL: Fault = {
  kind: 'status',
  status: 404,
  body: {
    error: {
      message: 'Unknown request URL: POST /v1/responses. Please check the URL for typos, or see the docs at https://platform.openai.com/docs/api-reference/.',
      type: 'invalid_request_error',
      param: null,
      code: 'unknown_url',
    },
  },
};

describe.each(CODEX_VERSIONS)('Codex CLI %s through the gateway', (version) => {
  it('is the version asked for', async () => {
    expect(await codexCliVersion(version)).toBe(`codex-cli ${version}`);
  });

  it('completes a turn while the provider resets the first two attempts', async () => {
    stack.sim.enqueue({ kind: 'reset' }, { kind: 'reset' });
    const run = await runCodex({ version, baseUrl: stack.gateway.baseUrl, apiKey: 'sk-codex-e2e' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toMatch(/Reconnecting/);
    await stack.gateway.waitForLog((line) => line.includes('"route":"/v1/responses"'));
    const [turn, ...more] = codexRequests();
    expect(more).toEqual([]);
    expect(turn).toMatchObject({ client: 'codex', status: 200, stream: true, stream_end: 'terminal' });
    expect(turn?.['attempts']).toMatchObject([{ outcome: 'stale' }, { outcome: 'stale' }, { outcome: 'ok' }]);
    expect(stack.sim.requests[2]?.headers['authorization']).toBe('Bearer sk-codex-e2e');
  });

  it("onboards in one copy: the deployment's own /v1/codex-config block, as handed out, completes a turn", async () => {
    const block = await (await fetch(`${stack.gateway.baseUrl}/codex-config?model=gpt-test`)).text();
    expect(stack.sim.requests).toEqual([]); // the gateway's own route, not relayed
    // Pasted at the top of a config.toml that has tables of its own (FIELD-NOTES §5).
    const configToml = quietCodexConfig(block);
    const run = await runCodex({ version, baseUrl: stack.gateway.baseUrl, apiKey: 'unused', configToml, env: { OPENAI_API_KEY: 'sk-codex-own-key' } });
    expect(run.code, run.stderr).toBe(0);
    expect(stack.sim.requests.at(-1)?.headers['authorization']).toBe('Bearer sk-codex-own-key');
  });

  it('stops after exactly one request when the provider has no /responses (404 unknown_url)', async () => {
    stack.sim.enqueue(...always(UNKNOWN_URL));
    const run = await runCodex({ version, baseUrl: stack.gateway.baseUrl, apiKey: 'sk-codex-e2e' });
    expect(run.code).not.toBe(0);
    expect(await requestCounts()).toEqual({ codex: 1, upstream: 1 });
    expect(run.stdout + run.stderr).not.toMatch(/Reconnecting/);
    expect(run.stderr).toMatch(/upstream 127\.0\.0\.1:\d+ answered 404 \(1 attempt\): Unknown request URL: POST \/v1\/responses/);
  });

  it("stops after exactly one request on an upstream 401, showing the provider's message", async () => {
    stack.sim.enqueue(...always({ kind: 'status', status: 401 }));
    const run = await runCodex({ version, baseUrl: stack.gateway.baseUrl, apiKey: 'sk-codex-wrong' });
    expect(run.code).not.toBe(0);
    expect(await requestCounts()).toEqual({ codex: 1, upstream: 1 });
    expect(run.stdout + run.stderr).not.toMatch(/Reconnecting/);
    expect(run.stderr).toContain('Incorrect API key provided');
    expect(run.stderr).toContain('answered 401');
  });
});
