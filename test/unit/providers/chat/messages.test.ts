/** Responses input → Chat messages, one row per mapping (the request's other fields: request.test.ts). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHAT_CAPABILITIES, type ChatCapabilities } from '../../../../src/config/chat-capabilities';
import { MISSING_OUTPUT, pairCalls } from '../../../../src/providers/chat/messages';
import { translateRequest } from '../../../../src/providers/chat/request';

const caps = (over: Partial<ChatCapabilities> = {}): ChatCapabilities => ({ ...DEFAULT_CHAT_CAPABILITIES, ...over });
const translate = (doc: Record<string, unknown>, over: Partial<ChatCapabilities> = {}) => translateRequest({ model: 'm', ...doc }, null, caps(over));
const messages = (doc: Record<string, unknown>, over: Partial<ChatCapabilities> = {}) => translate(doc, over).body.messages;

const msg = (role: string, text: string, type = role === 'assistant' ? 'output_text' : 'input_text') => ({ type: 'message', role, content: [{ type, text }] });
const call = (id: string, name: string, args = '{}', namespace?: string) => ({
  type: 'function_call',
  call_id: id,
  name,
  arguments: args,
  ...(namespace === undefined ? {} : { namespace }),
});
const output = (id: string, text: string) => ({ type: 'function_call_output', call_id: id, output: text });

describe('messages', () => {
  it.each([
    ['a string input is one user message', { input: 'hi' }, [{ role: 'user', content: 'hi' }]],
    [
      'instructions and developer/system messages fold, in order, into one leading system message',
      { instructions: 'I', input: [msg('developer', 'D1'), msg('user', 'U'), msg('system', 'S'), msg('developer', 'D2')] },
      [
        { role: 'system', content: 'I\n\nD1\n\nS\n\nD2' },
        { role: 'user', content: 'U' },
      ],
    ],
    ['an easy input message without type', { input: [{ role: 'user', content: 'plain' }] }, [{ role: 'user', content: 'plain' }]],
    ['consecutive user messages merge', { input: [msg('user', 'a'), msg('user', 'b')] }, [{ role: 'user', content: 'a\n\nb' }]],
    [
      'assistant output_text becomes assistant content',
      { input: [msg('user', 'q'), msg('assistant', 'a')] },
      [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'a' },
      ],
    ],
    [
      'a user image becomes an image_url part',
      {
        input: [
          {
            type: 'message',
            role: 'user',
            content: [
              { type: 'input_text', text: 'look' },
              { type: 'input_image', image_url: 'data:image/png;base64,AA', detail: 'low' },
            ],
          },
        ],
      },
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AA', detail: 'low' } },
          ],
        },
      ],
    ],
    [
      'a function call and its output: assistant tool_calls, then a tool message',
      { input: [msg('user', 'q'), call('c1', 'exec_command', '{"cmd":"ls"}'), output('c1', 'file.txt')] },
      [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'exec_command', arguments: '{"cmd":"ls"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'file.txt' },
      ],
    ],
    [
      "consecutive calls merge into one assistant message, answered in the calls' order",
      { input: [msg('user', 'q'), msg('assistant', 'let me see'), call('a', 'f'), call('b', 'g'), output('b', 'B'), output('a', 'A')] },
      [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: 'let me see',
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } },
            { id: 'b', type: 'function', function: { name: 'g', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'a', content: 'A' },
        { role: 'tool', tool_call_id: 'b', content: 'B' },
      ],
    ],
    [
      'a call without output gets a stand-in tool message',
      { input: [msg('user', 'q'), call('x', 'f'), msg('user', 'next')] },
      [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'x', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'x', content: MISSING_OUTPUT },
        { role: 'user', content: 'next' },
      ],
    ],
    [
      'an output without its call becomes a user message',
      { input: [msg('user', 'q'), output('z', 'out')] },
      [{ role: 'user', content: 'q\n\nOutput of tool call z:\nout' }],
    ],
    [
      'a namespaced call gets its flattened name',
      { input: [msg('user', 'q'), call('n', 'spawn_agent', '{}', 'multi_agent_v1'), output('n', 'ok')] },
      [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'n', type: 'function', function: { name: 'multi_agent_v1__spawn_agent', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'n', content: 'ok' },
      ],
    ],
    [
      'a custom tool call and its output: a function call with one string argument',
      {
        input: [
          msg('user', 'q'),
          { type: 'custom_tool_call', call_id: 'p', name: 'apply_patch', input: '*** Begin Patch' },
          { type: 'custom_tool_call_output', call_id: 'p', output: 'Done' },
        ],
      },
      [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'p', type: 'function', function: { name: 'apply_patch', arguments: '{"input":"*** Begin Patch"}' } }],
        },
        { role: 'tool', tool_call_id: 'p', content: 'Done' },
      ],
    ],
    [
      'reasoning items are dropped by default',
      { input: [msg('user', 'q'), { type: 'reasoning', id: 'rs', summary: [{ type: 'summary_text', text: 'think' }] }, msg('assistant', 'a')] },
      [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'a' },
      ],
    ],
    [
      'a tool output given as content parts becomes its text',
      {
        input: [
          msg('user', 'q'),
          call('c', 'f'),
          {
            type: 'function_call_output',
            call_id: 'c',
            output: [
              { type: 'input_text', text: 'one' },
              { type: 'input_text', text: 'two' },
            ],
          },
        ],
      },
      [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c', content: 'one\ntwo' },
      ],
    ],
    ['an empty assistant message is dropped', { input: [msg('user', 'q'), msg('assistant', ''), msg('user', 'r')] }, [{ role: 'user', content: 'q\n\nr' }]],
    [
      'web_search_call items are dropped',
      { input: [msg('user', 'q'), { type: 'web_search_call', id: 'ws', status: 'completed' }, msg('assistant', 'a')] },
      [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'a' },
      ],
    ],
  ])('%s', (_name, doc, expected) => {
    expect(messages(doc)).toEqual(expected);
  });

  it('a call_id reused in a later turn (Kimi list_dir:0, grok call_0): each call gets its own output', () => {
    const out = messages({
      input: [
        msg('user', 'go'),
        call('call_0', 'read_file', '{"path":"a"}'),
        output('call_0', 'CONTENT OF A'),
        msg('assistant', 'now b'),
        call('call_0', 'read_file', '{"path":"b"}'),
        output('call_0', 'CONTENT OF B'),
      ],
    });
    expect(out.filter((message) => message.role === 'tool')).toEqual([
      { role: 'tool', tool_call_id: 'call_0', content: 'CONTENT OF A' },
      { role: 'tool', tool_call_id: 'call_0', content: 'CONTENT OF B' },
    ]);
    expect(out.filter((message) => message.role === 'user')).toEqual([{ role: 'user', content: 'go' }]);
  });

  // Positions: c = a call, o = an output, all of one call_id; pairs are [call, output] positions.
  it.each([
    ['one call, one output', 'co', [[0, 1]]],
    [
      'a reused id: each call takes the next output after it',
      'coco',
      [
        [0, 1],
        [2, 3],
      ],
    ],
    [
      'two calls in one turn, then their outputs',
      'ccoo',
      [
        [0, 2],
        [1, 3],
      ],
    ],
    ['an output before any call answers nothing', 'oco', [[1, 2]]],
    ['a second call without an output of its own gets none', 'coc', [[0, 1]]],
    ['a spare output stays unpaired', 'coo', [[0, 1]]],
  ])('pairCalls: %s (%s)', (_name, shape, pairs) => {
    const items = Array.from(shape, (kind) => (kind === 'c' ? call('x', 'f') : output('x', 'out')));
    expect([...pairCalls(items)]).toEqual(pairs);
  });

  it('images a tool returned follow its tool messages in a user message', () => {
    const out = messages({
      input: [
        msg('user', 'q'),
        call('v', 'view_image'),
        { type: 'function_call_output', call_id: 'v', output: [{ type: 'input_image', image_url: 'data:image/png;base64,AA' }] },
      ],
    });
    expect(out).toEqual([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'v', type: 'function', function: { name: 'view_image', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'v', content: '' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Images returned by the tool calls above:' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } },
        ],
      },
    ]);
  });

  it.each([
    [
      'developer_role: a developer message after the start keeps its role',
      { developerRole: true },
      [
        { role: 'system', content: 'D1' },
        { role: 'user', content: 'U' },
        { role: 'developer', content: 'D2' },
      ],
    ],
    [
      'system_anywhere: a later system/developer message stays in place',
      { systemAnywhere: true },
      [
        { role: 'system', content: 'D1' },
        { role: 'user', content: 'U' },
        { role: 'system', content: 'D2' },
      ],
    ],
  ])('%s', (_name, over, expected) => {
    expect(messages({ input: [msg('developer', 'D1'), msg('user', 'U'), msg('developer', 'D2')] }, over)).toEqual(expected);
  });

  it('reasoning_content: reasoning is given back on the next assistant message', () => {
    const translation = translate(
      { input: [msg('user', 'q'), { type: 'reasoning', id: 'rs', summary: [{ type: 'summary_text', text: 'think' }] }, call('c', 'f'), output('c', 'o')] },
      { reasoningContent: true },
    );
    expect(translation.body.messages[1]).toMatchObject({ role: 'assistant', reasoning_content: 'think' });
    expect(translation.optional.has('reasoning_content')).toBe(true);
  });
});
