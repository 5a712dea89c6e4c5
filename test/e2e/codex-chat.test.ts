/**
 * The real Codex CLI (0.169.0 and 0.171.0) on a Chat-Completions-only provider: the built Worker
 * with UPSTREAM_WIRE_API=chat in front of the simulator in its strict chat-only mode (it refuses,
 * with a 400 as real providers do, the developer role, a late system message, a non-function
 * tool, an unknown field, a bad tool name and a tool call without its tool message; it has no
 * /v1/responses). Codex runs with its default retry settings.
 */
import { describe, expect, it } from 'vitest';
import { CODEX_VERSIONS, quietCodexConfig, runCodex, type CodexVersion } from '../../scripts/lib/codex';
import { SUMMARY_REQUEST } from '../../src/providers/chat/compaction';
import type { Fault } from '../../simulator/faults';
import { strictChatViolation } from '../../simulator/strict-chat';
import { useStack } from './setup';

// A 429 hint longer than RETRY_AFTER_MAX_MS goes to Codex (as "try again in"), so Codex's own handling is what is tested.
const stack = useStack({ simulator: { chatStrict: true }, vars: { UPSTREAM_WIRE_API: 'chat', RETRY_AFTER_MAX_MS: '500' } });

/** The gateway's log lines of Codex's model requests, once Codex has exited and the lines are in. */
async function codexRequests(): Promise<Record<string, unknown>[]> {
  await stack.gateway.waitForLog((line) => line.includes('"route":"/v1/responses"'));
  await new Promise((resolve) => setTimeout(resolve, 200));
  return stack.gateway.requestLines().filter((line) => line['route'] === '/v1/responses');
}

/** The chat requests the provider received (every one a strict provider accepted, or the test says otherwise). */
function chatRequests(): Record<string, unknown>[] {
  return stack.sim.requests.map((request) => {
    expect(request.path).toBe('/v1/chat/completions');
    return JSON.parse(request.body) as Record<string, unknown>;
  });
}

const run = (version: CodexVersion, prompt = 'say hi') => runCodex({ version, baseUrl: stack.gateway.baseUrl, apiKey: 'sk-codex-chat', prompt });
const always = (fault: Fault): Fault[] => Array.from({ length: 10 }, () => fault);
const contextError = (code: string | null): Fault => ({
  kind: 'status',
  status: 400,
  body: {
    error: {
      message: "This model's maximum context length is 65536 tokens. However, you requested 70000 tokens (69000 in the messages, 1000 in the completion).",
      type: 'invalid_request_error',
      code,
      param: null,
    },
  },
});

describe.each(CODEX_VERSIONS)('Codex CLI %s on a strict chat-only provider', (version) => {
  it('completes a plain turn: one request, translated, taken by the strict provider', async () => {
    const result = await run(version);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Hello from the flaky provider simulator.');
    expect(await codexRequests()).toMatchObject([
      { client: 'codex', status: 200, stream_end: 'terminal', translation: { to: 'chat', dropped_tools: ['web_search'] } },
    ]);
    const [chat] = chatRequests();
    expect(strictChatViolation(chat)).toBeNull();
  });

  it('runs a tool loop: exec_command called, run by Codex, its output sent back, the answer quotes it', async () => {
    stack.sim.reply({ kind: 'tool-call', name: 'exec_command', arguments: { cmd: 'echo codex-edge-tool-ok' } }, { kind: 'quote-tool-output' });
    const result = await run(version, 'run echo codex-edge-tool-ok and tell me what it printed');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/The tool printed: [\s\S]*codex-edge-tool-ok/);
    expect(await codexRequests()).toHaveLength(2);
    const [, second] = chatRequests();
    const messages = second?.['messages'] as Record<string, unknown>[];
    const [assistant, tool] = messages.slice(-2);
    expect(assistant).toMatchObject({
      role: 'assistant',
      tool_calls: [{ type: 'function', function: { name: 'exec_command', arguments: '{"cmd":"echo codex-edge-tool-ok"}' } }],
    });
    expect(tool).toMatchObject({ role: 'tool', content: expect.stringContaining('codex-edge-tool-ok') as string });
    expect(strictChatViolation(second)).toBeNull();
  });

  it('shows the reasoning of a turn with reasoning deltas', async () => {
    stack.sim.reply({ kind: 'text', reasoning: 'Thinking about how to greet the user.', text: 'Hi there.' });
    const result = await run(version);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toContain('Thinking about how to greet the user.');
    expect(result.stdout).toContain('Hi there.');
  });

  it('compacts a long session through the Chat provider (built-in provider, compaction_trigger), then completes the turn', async () => {
    // A compact limit the first answer's tokens pass: Codex compacts before it sends the tool's output.
    const configToml = quietCodexConfig(
      ['model = "gpt-test"', `openai_base_url = "${stack.gateway.baseUrl}"`, 'model_auto_compact_token_limit = 200'].join('\n'),
    );
    stack.sim.reply({ kind: 'tool-call', name: 'exec_command', arguments: { cmd: 'echo codex-edge-compact' } });
    const result = await runCodex({ version, baseUrl: stack.gateway.baseUrl, apiKey: 'unused', configToml, prompt: 'run echo codex-edge-compact' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(/remote compact task|Reconnecting/);
    const requests = chatRequests();
    const summaryAsked = requests.findIndex((body) => JSON.stringify(body['messages']).includes(JSON.stringify(SUMMARY_REQUEST).slice(1, -1)));
    expect(summaryAsked, JSON.stringify(requests.map((body) => body['messages']))).toBeGreaterThan(0);
    expect(requests[summaryAsked]).not.toHaveProperty('tools');
    // The request after it starts from the summary (the simulator's text), not from the history it replaced.
    const after = JSON.stringify(requests[summaryAsked + 1]?.['messages']);
    expect(after).toContain('Summary of the earlier conversation (context compacted)');
    for (const body of requests) expect(strictChatViolation(body)).toBeNull();
  });

  it('retries once when its first stream is cut mid-answer, and succeeds', async () => {
    stack.sim.enqueue({ kind: 'cut', afterEvents: 3 });
    const result = await run(version);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Hello from the flaky provider simulator.');
    expect(result.stderr).toMatch(/Reconnecting\.\.\. 1\/5/);
    expect((await codexRequests()).map((line) => line['stream_end'])).toEqual(['upstream-broke', 'terminal']);
    expect(stack.sim.requests).toHaveLength(2);
  });

  it('waits out a 429 with a hint once, and succeeds', async () => {
    stack.sim.enqueue({ kind: 'status', status: 429, headers: { 'retry-after-ms': '1500' } });
    const started = Date.now();
    const result = await run(version);
    expect(result.code, result.stderr).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect((await codexRequests()).map((line) => line['error_code'])).toEqual(['rate_limit_exceeded', null]);
    expect(stack.sim.requests).toHaveLength(2);
  });

  it("stops after one request on a context-length 400 without a code, showing the provider's message", async () => {
    stack.sim.enqueue(...always(contextError(null)));
    const result = await run(version);
    expect(result.code).not.toBe(0);
    expect(await codexRequests()).toHaveLength(1);
    expect(stack.sim.requests).toHaveLength(1);
    expect(result.stdout + result.stderr).not.toMatch(/Reconnecting/);
    expect(result.stderr).toMatch(/answered 400 \(1 attempt\): This model's maximum context length is 65536 tokens/);
  });

  it('stops after one request on a context_length_exceeded 400, which Codex explains itself', async () => {
    stack.sim.enqueue(...always(contextError('context_length_exceeded')));
    const result = await run(version);
    expect(result.code).not.toBe(0);
    expect(await codexRequests()).toHaveLength(1);
    expect(result.stdout + result.stderr).not.toMatch(/Reconnecting/);
    expect(result.stderr).toContain("Codex ran out of room in the model's context window");
  });

  it('ends a turn cut at the output limit (finish_reason length) after one request: the text so far, then the reason', async () => {
    stack.sim.reply({ kind: 'finish', reason: 'length', text: 'This answer was cut' });
    const result = await run(version);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('This answer was cut');
    expect(result.stderr).toContain('finish_reason "length"');
    expect(result.stdout + result.stderr).not.toMatch(/Reconnecting/);
    expect(await codexRequests()).toHaveLength(1);
  });
});
