/**
 * The simulator as a strict Chat-Completions-only provider: each rule refused with a 400 the way
 * real providers word it, and scripted replies (tool calls, reasoning deltas, finish reasons)
 * read by the real `openai` SDK, so a client's tool loop can be driven.
 */
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { strictChatViolation } from '../../../simulator/strict-chat';

const GOOD = {
  model: 'm',
  messages: [
    { role: 'system', content: 's' },
    { role: 'user', content: 'u' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'exec_command', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'c1', content: 'out' },
  ],
  tools: [{ type: 'function', function: { name: 'exec_command', parameters: { type: 'object' } } }],
  stream: true,
  stream_options: { include_usage: true },
};

describe('strictChatViolation', () => {
  it('takes a well-formed request', () => {
    expect(strictChatViolation(GOOD)).toBeNull();
  });

  it.each([
    [
      'the developer role',
      {
        messages: [
          { role: 'developer', content: 'd' },
          { role: 'user', content: 'u' },
        ],
      },
      /unknown variant `developer`/,
    ],
    [
      'a system message that is not first',
      {
        messages: [
          { role: 'user', content: 'u' },
          { role: 'system', content: 's' },
        ],
      },
      /System message must be at the beginning/,
    ],
    ['a non-function tool', { tools: [{ type: 'web_search' }] }, /only "function" tools are supported/],
    ['an unknown top-level field', { store: false }, /property 'store' is unsupported/],
    ['a tool name with a dot', { tools: [{ type: 'function', function: { name: 'mcp.read' } }] }, /does not match pattern/],
    [
      'a tool call without its tool message',
      {
        messages: [
          { role: 'user', content: 'u' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c9', type: 'function', function: { name: 'f', arguments: '{}' } }] },
          { role: 'user', content: 'next' },
        ],
      },
      /tool_call_ids did not have response messages: c9/,
    ],
    [
      'a tool call left unanswered at the end',
      {
        messages: [
          { role: 'user', content: 'u' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c9', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        ],
      },
      /insufficient tool messages/,
    ],
    [
      'a tool message without its call',
      {
        messages: [
          { role: 'user', content: 'u' },
          { role: 'tool', tool_call_id: 'x', content: 'o' },
        ],
      },
      /must be a response to a preceding message with 'tool_calls'/,
    ],
  ])('refuses %s', (_name, change, message) => {
    expect(strictChatViolation({ ...GOOD, ...change })?.message).toMatch(message);
  });

  it('refuses the fields it is told to', () => {
    expect(strictChatViolation(GOOD, { rejectFields: ['stream_options'] })?.param).toBe('stream_options');
    expect(strictChatViolation({ ...GOOD, tools: [{ type: 'function', function: { name: 'f', strict: false } }] }, { rejectFields: ['strict'] })?.param).toBe(
      'tools[0].function.strict',
    );
  });
});

describe('the strict chat-only simulator', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ chatStrict: true, deltaSize: 4 });
  });
  afterEach(async () => {
    await sim.close();
  });
  const sdk = (): OpenAI => new OpenAI({ baseURL: sim.baseUrl, apiKey: 'sk-sim', maxRetries: 0 });

  it('has no Responses API (404) and answers a strict violation with a 400 naming it', async () => {
    const responses = await fetch(`${sim.baseUrl}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', input: 'hi' }),
    });
    expect(responses.status).toBe(404);
    const error = await sdk()
      .chat.completions.create({ model: 'm', messages: [{ role: 'developer', content: 'x' }] })
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String(error)).toMatch(/unknown variant `developer`/);
  });

  it('streams a scripted tool call (id and name first, arguments in pieces), then quotes the tool output of the next request', async () => {
    sim.reply({ kind: 'tool-call', name: 'exec_command', arguments: { cmd: 'echo hi' }, reasoning: 'I will run it.' }, { kind: 'quote-tool-output' });
    const stream = await sdk().chat.completions.create({
      model: 'm',
      stream: true,
      messages: [{ role: 'user', content: 'run it' }],
      tools: [{ type: 'function', function: { name: 'exec_command', parameters: {} } }],
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const fragments = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(fragments[0]).toMatchObject({ index: 0, id: expect.stringMatching(/^call_/) as string, function: { name: 'exec_command' } });
    expect(fragments.slice(1).every((fragment) => fragment.id === undefined && fragment.function?.name === undefined)).toBe(true);
    expect(fragments.map((fragment) => fragment.function?.arguments ?? '').join('')).toBe('{"cmd":"echo hi"}');
    const reasoning = chunks.map((chunk) => (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '').join('');
    expect(reasoning).toBe('I will run it.');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');

    const id = fragments[0]?.id ?? '';
    const answer = await sdk().chat.completions.create({
      model: 'm',
      messages: [
        { role: 'user', content: 'run it' },
        { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'exec_command', arguments: '{"cmd":"echo hi"}' } }] },
        { role: 'tool', tool_call_id: id, content: 'hi\n' },
      ],
    });
    expect(answer.choices[0]?.message.content).toBe('The tool printed: hi');
  });

  it('finishes with length when told to', async () => {
    sim.reply({ kind: 'finish', reason: 'length', text: 'cut' });
    const answer = await sdk().chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'u' }] });
    expect(answer.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: 'cut' } });
  });

  it('refuses a field it is told to refuse without strict mode too (--chat-reject alone)', async () => {
    sim.setOptions({ chatStrict: false, chatRejectFields: ['stream_options', 'strict'] });
    const post = (body: Record<string, unknown>) =>
      fetch(`${sim.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const messages = [
      { role: 'developer', content: 'd' },
      { role: 'user', content: 'u' },
    ];
    const refused = await post({ model: 'm', messages, stream: true, stream_options: { include_usage: true } });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { param: 'stream_options' } });
    const strictTool = await post({ model: 'm', messages, tools: [{ type: 'function', function: { name: 'f', strict: true } }] });
    expect(await strictTool.json()).toMatchObject({ error: { param: 'tools[0].function.strict' } });
    const fine = await post({ model: 'm', messages, unknown_field: 1 });
    expect(fine.status).toBe(200);
  });

  it('refuses a field it is told to refuse', async () => {
    sim.setOptions({ chatRejectFields: ['stream_options'] });
    const response = await fetch(`${sim.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...GOOD, tools: undefined, messages: [{ role: 'user', content: 'u' }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { param: 'stream_options', message: expect.stringContaining("'stream_options' is not supported") as string },
    });
  });
});
