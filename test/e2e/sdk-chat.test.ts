/**
 * The real `openai` SDK reads what the gateway translates from a strict Chat-Completions-only
 * provider: its Responses streaming helper (which checks the order of events and builds the final
 * response from them) and its non-streaming client (the Responses JSON, output_text included).
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { useStack } from './setup';

const stack = useStack({ simulator: { chatStrict: true }, vars: { UPSTREAM_WIRE_API: 'chat' } });
const sdk = (): OpenAI => new OpenAI({ baseURL: stack.gateway.baseUrl, apiKey: 'sk-sdk-chat', maxRetries: 0 });

const TOOLS: OpenAI.Responses.Tool[] = [
  {
    type: 'function',
    name: 'exec_command',
    description: 'Run a command',
    parameters: { type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'] },
    strict: false,
  },
  { type: 'web_search' },
];

describe('the Responses streaming helper on translated streams', () => {
  it('reads a plain answer, with the text and usage in the final response', async () => {
    const stream = sdk().responses.stream({ model: 'gpt-test', input: 'say hi', instructions: 'Be brief.' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(deltas.join('')).toBe('Hello from the flaky provider simulator.');
    expect(final.output_text).toBe('Hello from the flaky provider simulator.');
    expect(final.status).toBe('completed');
    expect(final.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('reads a tool call and a reasoning summary', async () => {
    stack.sim.reply({ kind: 'tool-call', name: 'exec_command', arguments: { cmd: 'ls -la' }, reasoning: 'Listing files first.' });
    const stream = sdk().responses.stream({ model: 'gpt-test', input: 'list the files', tools: TOOLS });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalResponse();
    expect(types[0]).toBe('response.created');
    expect(types).toContain('response.reasoning_summary_text.delta');
    expect(types).toContain('response.function_call_arguments.delta');
    expect(final.output).toMatchObject([
      { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Listing files first.' }] },
      { type: 'function_call', name: 'exec_command', arguments: '{"cmd":"ls -la"}' },
    ]);
  });

  it('the next turn sends the call and its output back; the answer quotes it', async () => {
    stack.sim.reply({ kind: 'tool-call', name: 'exec_command', arguments: { cmd: 'ls' } }, { kind: 'quote-tool-output', prefix: 'It printed:' });
    const first = await sdk().responses.stream({ model: 'gpt-test', input: 'list', tools: TOOLS }).finalResponse();
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call?.type).toBe('function_call');
    if (call?.type !== 'function_call') return;
    const { parsed_arguments: _parsed, ...item } = call;
    const second = await sdk()
      .responses.stream({
        model: 'gpt-test',
        tools: TOOLS,
        input: [{ role: 'user', content: 'list' }, item, { type: 'function_call_output', call_id: call.call_id, output: 'a.txt b.txt' }],
      })
      .finalResponse();
    expect(second.output_text).toBe('It printed: a.txt b.txt');
  });

  it('a stream cut mid-answer ends with response.failed, read without error', async () => {
    stack.sim.enqueue({ kind: 'cut', afterEvents: 3 });
    const stream = await sdk().responses.create({ model: 'gpt-test', input: 'say hi', stream: true });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const last = events.at(-1);
    expect(last?.type).toBe('response.failed');
    if (last?.type === 'response.failed') expect(last.response.error?.code).toBe('server_error');
  });
});

describe('the non-streaming client on translated JSON', () => {
  it('reads the answer and its output_text', async () => {
    const { data, response } = await sdk().responses.create({ model: 'gpt-test', input: 'say hi', tools: TOOLS }).withResponse();
    expect(data.status).toBe('completed');
    expect(data.output_text).toBe('Hello from the flaky provider simulator.');
    expect(response.headers.get('x-edge-dropped-tools')).toBe('web_search');
  });

  it('reads a tool call', async () => {
    stack.sim.reply({ kind: 'tool-call', name: 'exec_command', arguments: { cmd: 'pwd' } });
    const data = await sdk().responses.create({ model: 'gpt-test', input: 'where am I', tools: TOOLS });
    expect(data.output).toMatchObject([{ type: 'function_call', name: 'exec_command', arguments: '{"cmd":"pwd"}', status: 'completed' }]);
  });

  it('a request that cannot be translated is a BadRequestError naming what', async () => {
    const error = await sdk()
      .responses.create({ model: 'gpt-test', input: 'hi', previous_response_id: 'resp_123' })
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String(error)).toMatch(/cannot be sent to a Chat Completions provider: "previous_response_id"/);
  });
});
