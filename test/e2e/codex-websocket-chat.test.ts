/**
 * The real Codex CLI (0.169.0 and 0.171.0) over the WebSocket transport to a Chat-Completions-only
 * provider (UPSTREAM_WIRE_API=chat, the simulator in its strict chat-only mode): a plain turn and
 * a tool loop on one socket, where Codex sends its second request incrementally
 * (`previous_response_id` and the new items) and the provider still gets the whole conversation.
 */
import { describe, expect, it } from 'vitest';
import { CODEX_VERSIONS, runCodex, type CodexVersion } from '../../scripts/lib/codex';
import { strictChatViolation } from '../../simulator/strict-chat';
import { useStack } from './setup';

const stack = useStack({ simulator: { chatStrict: true }, vars: { UPSTREAM_WIRE_API: 'chat' } });

/** Codex's WebSocket turns (prewarms left out) and HTTP requests, as the gateway logged them. */
async function traffic(): Promise<{ turns: Record<string, unknown>[]; http: Record<string, unknown>[] }> {
  await stack.gateway.waitForLog((line) => line.includes('"route":"/v1/responses"') && line.includes('"method":"GET"'));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const lines = stack.gateway.requestLines().filter((line) => line['route'] === '/v1/responses' && line['method'] === 'POST');
  return {
    turns: lines.filter((line) => line['transport'] === 'websocket' && line['stream_end'] !== 'prewarm'),
    http: lines.filter((line) => line['transport'] === 'http'),
  };
}

const run = (version: CodexVersion, prompt = 'say hi') =>
  runCodex({ version, baseUrl: stack.gateway.baseUrl, apiKey: 'sk-codex-ws-chat', prompt, providerLines: ['supports_websockets = true'] });

describe.each(CODEX_VERSIONS)('Codex CLI %s over the WebSocket transport to a chat-only provider', (version) => {
  it('completes a plain turn, translated', async () => {
    const result = await run(version);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Hello from the flaky provider simulator.');
    const { turns, http } = await traffic();
    expect(http).toEqual([]);
    expect(turns).toMatchObject([{ status: 200, stream_end: 'terminal', translation: { to: 'chat' } }]);
  });

  it('runs a tool loop on one socket: the second request arrives incremental, the provider gets the whole conversation', async () => {
    stack.sim.reply({ kind: 'tool-call', name: 'exec_command', arguments: { cmd: 'echo codex-edge-ws-ok' } }, { kind: 'quote-tool-output' });
    const result = await run(version, 'run echo codex-edge-ws-ok and tell me what it printed');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/The tool printed: [\s\S]*codex-edge-ws-ok/);
    const { turns, http } = await traffic();
    expect(http).toEqual([]);
    expect(turns).toHaveLength(2);
    expect(new Set(turns.map((line) => line['connection'])).size).toBe(1);
    // The second frame is smaller than the first although the conversation grew: only the new items came.
    expect(Number(turns[1]?.['bytes_in'])).toBeLessThan(Number(turns[0]?.['bytes_in']));
    const [first, second] = stack.sim.requests.map((request) => JSON.parse(request.body) as Record<string, unknown>);
    const firstMessages = first?.['messages'] as Record<string, unknown>[];
    const messages = second?.['messages'] as Record<string, unknown>[];
    expect(messages.slice(0, firstMessages.length)).toEqual(firstMessages);
    expect(messages.slice(-2)).toMatchObject([
      { role: 'assistant', tool_calls: [{ type: 'function', function: { name: 'exec_command', arguments: '{"cmd":"echo codex-edge-ws-ok"}' } }] },
      { role: 'tool', content: expect.stringContaining('codex-edge-ws-ok') as string },
    ]);
    expect(strictChatViolation(second)).toBeNull();
  });
});
