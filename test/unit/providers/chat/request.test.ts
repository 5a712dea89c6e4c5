/** Responses → Chat request translation, one row per mapping: tools and fields (the input's messages: messages.test.ts). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHAT_CAPABILITIES, type ChatCapabilities } from '../../../../src/config/chat-capabilities';
import { GatewayError } from '../../../../src/core/errors';
import { nearestEffort, translateRequest } from '../../../../src/providers/chat/request';

const caps = (over: Partial<ChatCapabilities> = {}): ChatCapabilities => ({ ...DEFAULT_CHAT_CAPABILITIES, ...over });
const translate = (doc: Record<string, unknown>, over: Partial<ChatCapabilities> = {}) => translateRequest({ model: 'm', ...doc }, null, caps(over));
const body = (doc: Record<string, unknown>, over: Partial<ChatCapabilities> = {}) => translate(doc, over).body as unknown as Record<string, unknown>;

const msg = (role: string, text: string, type = role === 'assistant' ? 'output_text' : 'input_text') => ({ type: 'message', role, content: [{ type, text }] });
describe('tools', () => {
  const tools = (list: unknown[], over: Partial<ChatCapabilities> = {}, extra: Record<string, unknown> = {}) =>
    translate({ input: 'q', tools: list, ...extra }, over);
  const fn = (name: string, more: Record<string, unknown> = {}) => ({
    type: 'function',
    name,
    description: `d ${name}`,
    parameters: { type: 'object', properties: {} },
    strict: false,
    ...more,
  });

  it('a function tool becomes a chat function, without strict by default', () => {
    expect(tools([fn('exec_command')]).body.tools).toEqual([
      { type: 'function', function: { name: 'exec_command', description: 'd exec_command', parameters: { type: 'object', properties: {} } } },
    ]);
  });
  it('strict_tools keeps strict', () => {
    const translation = tools([fn('f', { strict: true })], { strictTools: true });
    expect(translation.body.tools?.[0]?.function.strict).toBe(true);
    expect(translation.optional.has('strict_tools')).toBe(true);
  });
  it('a namespace tool is flattened, and the name maps back', () => {
    const translation = tools([{ type: 'namespace', name: 'multi_agent_v1', description: 'agents', tools: [fn('spawn_agent')] }]);
    expect(translation.body.tools?.map((tool) => tool.function.name)).toEqual(['multi_agent_v1__spawn_agent']);
    expect(translation.names.resolve('multi_agent_v1__spawn_agent')).toEqual({ kind: 'function', name: 'spawn_agent', namespace: 'multi_agent_v1' });
  });
  it('a custom tool becomes a function with one string argument, its grammar in the description', () => {
    const translation = tools([
      { type: 'custom', name: 'apply_patch', description: 'Patch files.', format: { type: 'grammar', syntax: 'lark', definition: 'start: "x"' } },
    ]);
    const tool = translation.body.tools?.[0]?.function;
    expect(tool?.parameters).toEqual({
      type: 'object',
      properties: { input: { type: 'string', description: expect.stringContaining('start: "x"') as string } },
      required: ['input'],
      additionalProperties: false,
    });
    expect(tool?.description).toMatch(/^Patch files\.\n\nThe raw input of this freeform tool/);
    expect(translation.names.resolve('apply_patch')).toEqual({ kind: 'custom', name: 'apply_patch', namespace: null });
  });
  it('hosted tools are dropped and listed', () => {
    const translation = tools([fn('f'), { type: 'web_search', external_web_access: false }, { type: 'file_search' }]);
    expect(translation.body.tools).toHaveLength(1);
    expect(translation.dropped).toEqual(['web_search', 'file_search']);
  });
  it('tools of an additional_tools input item are handled like top-level ones (and not repeated)', () => {
    const translation = translateRequest(
      { model: 'm', tools: [fn('f')], input: [{ type: 'additional_tools', tools: [fn('f'), fn('g')] }, msg('user', 'q')] },
      null,
      caps(),
    );
    expect(translation.body.tools?.map((tool) => tool.function.name)).toEqual(['f', 'g']);
    expect(translation.body.messages).toEqual([{ role: 'user', content: 'q' }]);
  });
  it('no tool left: neither tools nor tool_choice is sent', () => {
    const out = body({ input: 'q', tools: [{ type: 'web_search' }], tool_choice: 'auto', parallel_tool_calls: true }, { parallelToolCalls: true });
    expect(out).not.toHaveProperty('tools');
    expect(out).not.toHaveProperty('tool_choice');
    expect(out).not.toHaveProperty('parallel_tool_calls');
  });
  it.each([
    ['auto', 'auto'],
    ['required', 'required'],
    ['none', 'none'],
    [
      { type: 'function', name: 'f' },
      { type: 'function', function: { name: 'f' } },
    ],
    [{ type: 'allowed_tools', mode: 'required', tools: [] }, 'required'],
    [{ type: 'web_search' }, 'auto'],
  ])('tool_choice %j → %j', (choice, expected) => {
    expect(tools([fn('f')], {}, { tool_choice: choice }).body.tool_choice).toEqual(expected);
  });
  it('parallel_tool_calls only where the provider takes it', () => {
    expect(body({ input: 'q', tools: [fn('f')], parallel_tool_calls: true })).not.toHaveProperty('parallel_tool_calls');
    expect(body({ input: 'q', tools: [fn('f')], parallel_tool_calls: true }, { parallelToolCalls: true })['parallel_tool_calls']).toBe(true);
  });
});

describe('fields', () => {
  it.each([
    ['stream with usage', { stream: true }, {}, { stream: true, stream_options: { include_usage: true } }],
    ['stream without usage where refused', { stream: true }, { streamUsage: false }, { stream: true }],
    ['max_output_tokens → max_tokens', { max_output_tokens: 100 }, {}, { max_tokens: 100 }],
    ['temperature and top_p', { temperature: 0.2, top_p: 0.9 }, {}, { temperature: 0.2, top_p: 0.9 }],
    [
      'text.format json_schema → response_format',
      { text: { format: { type: 'json_schema', name: 'x', schema: { type: 'object' }, strict: true } } },
      {},
      { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' }, strict: true } } },
    ],
    ['text.format json_object', { text: { format: { type: 'json_object' } } }, {}, { response_format: { type: 'json_object' } }],
    [
      'reasoning.effort, where taken, at the nearest accepted value',
      { reasoning: { effort: 'xhigh' } },
      { reasoningEfforts: ['low', 'medium', 'high'] },
      { reasoning_effort: 'high' },
    ],
    ['reasoning.effort not sent by default', { reasoning: { effort: 'high' } }, {}, {}],
  ] satisfies [string, Record<string, unknown>, Partial<ChatCapabilities>, Record<string, unknown>][])('%s', (_name, doc, over, expected) => {
    const out = body({ input: 'q', ...doc }, over);
    const { model: _model, messages: _messages, ...rest } = out;
    expect(rest).toEqual(expected);
  });

  it('Responses-only fields are never sent', () => {
    const out = body({
      input: 'q',
      store: false,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'k',
      client_metadata: { a: 'b' },
      service_tier: 'auto',
      truncation: 'auto',
      metadata: {},
      text: { verbosity: 'low' },
      reasoning: { summary: 'auto' },
    });
    expect(Object.keys(out).sort()).toEqual(['messages', 'model']);
  });

  it('the route model wins over the body model', () => {
    expect(translateRequest({ model: 'asked', input: 'q' }, 'routed', caps()).body.model).toBe('routed');
  });

  it.each([
    ['previous_response_id', { previous_response_id: 'resp_1' }, 'previous_response_id'],
    ['conversation', { conversation: 'conv_1' }, 'conversation'],
    ['background', { background: true }, 'background'],
    ['an unknown input item', { input: [{ type: 'compaction', encrypted_content: 'x' }] }, 'input[0]'],
    ['an image by file_id', { input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1' }] }] }, 'input[0].content[0]'],
    ['a file part', { input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'file_1' }] }] }, 'input[0].content[0]'],
    ['a function tool without a name', { tools: [{ type: 'function' }] }, 'tools[0]'],
    ['input that is neither text nor items', { input: 42 }, 'input'],
    ['no model', { model: undefined }, 'model'],
    ['an input with no message left', { input: [{ type: 'reasoning', id: 'rs', summary: [] }] }, 'input'],
  ])('%s cannot be translated: a final 400 naming it', (_name, doc, param) => {
    let error: unknown;
    try {
      translate({ input: 'q', ...doc });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(GatewayError);
    if (!(error instanceof GatewayError)) return;
    expect(error.status).toBe(400);
    expect(error.advice.kind).toBe('final');
    expect(error.body).toMatchObject({ code: 'untranslatable_request', param });
    expect(error.body.message).toMatch(/^codex-edge: this request cannot be sent to a Chat Completions provider: /);
  });
});

describe('nearestEffort', () => {
  it.each([
    ['medium', ['low', 'medium', 'high'], 'medium'],
    ['minimal', ['low', 'high'], 'low'],
    ['xhigh', ['low', 'high'], 'high'],
    ['medium', ['low', 'high'], 'low'],
    ['none', ['low'], null],
    ['none', ['none', 'low'], 'none'],
  ] as const)('%s among %j → %s', (asked, accepted, expected) => {
    expect(nearestEffort(asked, accepted)).toBe(expected);
  });
});
