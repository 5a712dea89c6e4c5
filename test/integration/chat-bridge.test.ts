/**
 * A Chat-Completions-only provider behind /v1/responses, in workerd: the single upstream with
 * UPSTREAM_WIRE_API=chat against the simulator in its strict chat-only mode. The recorded Codex
 * request, a tool loop, reasoning, JSON, and every core guarantee after translation: retries
 * before the first byte, broken and stalled streams ending in response.failed, heartbeats,
 * final provider errors, 429 hints, a refused optional field retried once without it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forgetRefusals } from '../../src/providers/chat/learned';
import codexRequest from '../fixtures/codex/request-0.171.0.json';
import { strictChatViolation } from '../../simulator/strict-chat';
import { responsesStreamProblems, type Json } from '../unit/providers/chat/responses-rules';
import { CODEX_HEADERS, callGateway, captureLogs, errorOf, post, sim, sseEvents, typesOf } from './support';

const CHAT: Partial<Cloudflare.Env> = { UPSTREAM_WIRE_API: 'chat' };

beforeEach(async () => {
  await sim.reset();
  await sim.options({ chatStrict: true });
});
afterEach(() => {
  forgetRefusals();
});

const turn = (body: Record<string, unknown>, headers: Record<string, string> = CODEX_HEADERS) =>
  post('/v1/responses', { model: 'gpt-test', stream: true, input: 'hi', ...body }, headers);
const chatBodies = async (): Promise<Json[]> => (await sim.requests()).map((request) => JSON.parse(request.body) as Json);

async function streamed(request: Request, env: Partial<Cloudflare.Env> = {}): Promise<{ response: Response; events: Json[] }> {
  const response = await callGateway(request, { ...CHAT, ...env });
  const events = (await sseEvents(response)).filter(
    (event): event is Json => typeof event === 'object' && event !== null && (event as Json)['type'] !== 'codex_edge.heartbeat',
  );
  return { response, events };
}

const doneItems = (events: readonly Json[]): Json[] =>
  events.filter((event) => event['type'] === 'response.output_item.done').map((event) => event['item'] as Json);

describe('the recorded Codex request', () => {
  it('goes to /chat/completions as a request the strict provider takes, and comes back as a Responses stream Codex reads', async () => {
    const { result, lines } = await captureLogs(() => streamed(post('/v1/responses', codexRequest, CODEX_HEADERS)));
    const { response, events } = result;
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('x-edge-dropped-tools')).toBe('web_search');
    expect(responsesStreamProblems(events)).toEqual([]);
    expect(doneItems(events)).toMatchObject([{ type: 'message', content: [{ text: 'Hello from the flaky provider simulator.' }] }]);
    expect((events.at(-1)?.['response'] as Json)['usage']).toMatchObject({
      input_tokens: expect.any(Number) as number,
      output_tokens: expect.any(Number) as number,
    });
    const [upstream] = await sim.requests();
    expect(upstream?.path).toBe('/v1/chat/completions');
    expect(strictChatViolation(JSON.parse(upstream?.body ?? '{}'))).toBeNull();
    expect(lines[0]).toMatchObject({ route: '/v1/responses', status: 200, stream_end: 'terminal', translation: { to: 'chat', dropped_tools: ['web_search'] } });
  });
});

describe("Codex's remote compaction (built-in provider: compaction_trigger)", () => {
  it('the trigger gets one compaction item holding the summary, and the item sent back reaches the strict provider as that summary', async () => {
    await sim.replies({ kind: 'text', text: 'Ran ls: a.txt. Next: echo two.' }, { kind: 'text', text: 'done' });
    const tools = [{ type: 'function', name: 'exec_command', parameters: { type: 'object', properties: {} }, strict: false }];
    const history = [{ role: 'user', content: 'list files' }];
    const { response, events } = await streamed(turn({ tools, input: [...history, { type: 'compaction_trigger' }] }));
    expect(response.status).toBe(200);
    expect(responsesStreamProblems(events)).toEqual([]);
    const items = doneItems(events);
    expect(items).toMatchObject([{ type: 'compaction', encrypted_content: expect.any(String) as string }]);
    const [summaryRequest] = await chatBodies();
    expect(summaryRequest).not.toHaveProperty('tools');
    const next = await streamed(turn({ tools, input: [...history, ...items, { role: 'user', content: 'go on' }] }));
    expect(doneItems(next.events)).toMatchObject([{ type: 'message', content: [{ text: 'done' }] }]);
    const [, nextRequest] = await chatBodies();
    expect(JSON.stringify(nextRequest?.['messages'])).toContain('Ran ls: a.txt. Next: echo two.');
  });
});

describe('tool loop', () => {
  it('a tool call comes back as a function_call item; its output goes back as a tool message; the answer quotes it', async () => {
    await sim.replies({ kind: 'tool-call', name: 'exec_command', arguments: { cmd: 'echo edge' } }, { kind: 'quote-tool-output' });
    const tools = [{ type: 'function', name: 'exec_command', parameters: { type: 'object', properties: { cmd: { type: 'string' } } }, strict: false }];
    const first = await streamed(turn({ tools, input: [{ role: 'user', content: 'run echo' }] }));
    const [call] = doneItems(first.events);
    expect(call).toMatchObject({
      type: 'function_call',
      name: 'exec_command',
      arguments: '{"cmd":"echo edge"}',
      call_id: expect.stringMatching(/^call_/) as string,
    });
    const history = [{ role: 'user', content: 'run echo' }, call, { type: 'function_call_output', call_id: call?.['call_id'], output: 'edge\n' }];
    const second = await streamed(turn({ tools, input: history }));
    expect(doneItems(second.events)).toMatchObject([{ type: 'message', content: [{ text: 'The tool printed: edge' }] }]);
    const [, chatSecond] = await chatBodies();
    expect(chatSecond?.['messages']).toEqual([
      { role: 'user', content: 'run echo' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: call?.['call_id'], type: 'function', function: { name: 'exec_command', arguments: '{"cmd":"echo edge"}' } }],
      },
      { role: 'tool', tool_call_id: call?.['call_id'], content: 'edge\n' },
    ]);
  });

  it('reasoning deltas become a reasoning item with its summary', async () => {
    await sim.replies({ kind: 'text', reasoning: 'Thinking it over.', text: 'Done.' });
    const { events } = await streamed(turn({}));
    expect(typesOf(events)).toContain('response.reasoning_summary_text.delta');
    expect(doneItems(events)).toMatchObject([
      { type: 'reasoning', summary: [{ text: 'Thinking it over.' }] },
      { type: 'message', content: [{ text: 'Done.' }] },
    ]);
  });

  it('stream: false gets the Responses JSON', async () => {
    await sim.replies({ kind: 'tool-call', name: 'exec_command', arguments: { cmd: 'ls' } });
    const response = await callGateway(post('/v1/responses', { model: 'gpt-test', input: 'hi', tools: [{ type: 'function', name: 'exec_command' }] }), CHAT);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      object: 'response',
      status: 'completed',
      output: [{ type: 'function_call', name: 'exec_command', arguments: '{"cmd":"ls"}' }],
    });
  });

  it('/v1/chat/completions is still relayed as it is', async () => {
    const response = await callGateway(post('/v1/chat/completions', { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }), CHAT);
    expect(await response.json()).toMatchObject({ object: 'chat.completion' });
    expect((await sim.requests())[0]?.path).toBe('/v1/chat/completions');
  });
});

describe('what the core guarantees, after translation', () => {
  it('a chat stream cut before any content is retried invisibly', async () => {
    await sim.faults({ kind: 'cut', afterEvents: 1 });
    const { response, events } = await streamed(turn({}));
    expect(response.headers.get('x-edge-attempts')).toBe('2');
    expect(responsesStreamProblems(events)).toEqual([]);
    expect(typesOf(events).at(-1)).toBe('response.completed');
  });

  it('a chat stream cut mid-answer ends with response.failed, retryable, naming the cause; no retry behind the client', async () => {
    await sim.faults({ kind: 'cut', afterEvents: 3 });
    const { result, lines } = await captureLogs(() => streamed(turn({})));
    const last = result.events.at(-1) as Json;
    expect(last).toMatchObject({
      type: 'response.failed',
      response: { error: { code: 'server_error', message: expect.stringMatching(/the upstream stream broke .*; the request can be retried/) as string } },
    });
    expect(responsesStreamProblems(result.events)).toEqual([]);
    expect(await sim.requests()).toHaveLength(1);
    expect(lines[0]).toMatchObject({ stream_end: 'upstream-broke' });
  });

  it('a stalled chat stream gets Codex heartbeats, then response.failed at the idle cap', async () => {
    await sim.faults({ kind: 'stall', afterEvents: 3 });
    const response = await callGateway(turn({}), CHAT);
    const text = await response.text();
    expect(text.split('\n\n').filter((block) => block.includes('codex_edge.heartbeat')).length).toBeGreaterThanOrEqual(2);
    const events = (await sseEvents(new Response(text))) as Json[];
    expect(events.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { error: { code: 'server_error', message: expect.stringContaining('the upstream sent nothing for 600 ms') as string } },
    });
  });

  it("a context-length 400 is final: Codex gets a 400 with the provider's message, after one request", async () => {
    const message = "This model's maximum context length is 65536 tokens. However, you requested 70000 tokens.";
    await sim.faults({
      kind: 'status',
      status: 400,
      body: { error: { message, type: 'invalid_request_error', code: 'context_length_exceeded', param: 'messages' } },
    });
    const response = await callGateway(turn({}), CHAT);
    expect(response.status).toBe(400);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect(await errorOf(response)).toMatchObject({ code: 'context_length_exceeded', message: expect.stringContaining(message) as string });
    expect(await sim.requests()).toHaveLength(1);
  });

  it('a 429 with a long wait reaches Codex as response.failed rate_limit_exceeded with "try again in"', async () => {
    await sim.faults({ kind: 'status', status: 429, headers: { 'retry-after': '30' } });
    const { events } = await streamed(turn({}));
    expect(events).toMatchObject([
      { type: 'response.failed', response: { error: { code: 'rate_limit_exceeded', message: expect.stringMatching(/^try again in 30s: /) as string } } },
    ]);
  });

  it('a request that cannot be translated: one 400 in the error shape, nothing sent upstream', async () => {
    const response = await callGateway(turn({ previous_response_id: 'resp_1' }), CHAT);
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({ code: 'untranslatable_request', param: 'previous_response_id' });
    expect(await sim.requests()).toEqual([]);
  });
});

describe('a provider that refuses an optional field', () => {
  it('gets the request once more without it, and never again', async () => {
    await sim.options({ chatRejectFields: ['stream_options'] });
    const { result, lines } = await captureLogs(() => streamed(turn({})));
    expect(result.response.headers.get('x-edge-attempts')).toBe('2');
    expect(typesOf(result.events).at(-1)).toBe('response.completed');
    expect(lines[0]).toMatchObject({ attempts: [{ outcome: 'status', status: 400 }, { outcome: 'ok' }], translation: { refused_fields: ['stream_usage'] } });
    const next = await streamed(turn({}));
    expect(next.response.headers.get('x-edge-attempts')).toBe('1');
    const bodies = await chatBodies();
    expect(bodies.map((body) => 'stream_options' in body)).toEqual([true, false, false]);
  });
});

describe('a refusal learned after retries', () => {
  it('sends the call again within what is left of its attempts, not with a fresh allowance', async () => {
    await sim.options({ chatRejectFields: ['stream_options'] });
    const fail = { kind: 'status', status: 500 } as const;
    await sim.faults(fail, fail, { kind: 'delay', ms: 0 }, fail, fail, fail, fail, fail);
    const env = { ...CHAT, RETRY_MAX_ATTEMPTS: '4', RETRY_BACKOFF_BASE_MS: '0', BREAKER_FAILURES: '100' };
    const { result, lines } = await captureLogs(() => callGateway(turn({}), env));
    expect(result.headers.get('x-edge-attempts')).toBe('4');
    expect(typesOf(await sseEvents(result))).toEqual(['response.failed']);
    expect(lines[0]).toMatchObject({ attempts: [{ status: 500 }, { status: 500 }, { status: 400 }, { status: 500 }] });
    expect(await sim.requests()).toHaveLength(4);
  });
});
