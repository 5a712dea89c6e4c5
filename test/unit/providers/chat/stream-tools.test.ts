/**
 * Chat stream → Responses stream: tool calls, however a provider spreads their fragments over
 * chunks (indexes, ids, names), become whole function_call and custom_tool_call items.
 */
import { describe, expect, it } from 'vitest';
import { chunk, DONE, toolFragment, type Json } from './responses-rules';
import { doneItems, run, typesOf } from './translated-stream';

describe('chat stream → Responses stream', () => {
  it('tool calls keyed by index, ids and names from the first fragment only: function_call items with the whole arguments', async () => {
    const { events } = await run(
      chunk({ role: 'assistant', content: null }) +
        chunk(toolFragment(0, '', { id: 'call_a', name: 'exec_command' })) +
        chunk(toolFragment(1, '{"x":', { id: 'call_b', name: 'multi_agent_v1__spawn_agent' })) +
        chunk(toolFragment(0, '{"cmd":"ls"}')) +
        chunk(toolFragment(1, '1}')) +
        chunk({}, 'tool_calls') +
        DONE,
    );
    expect(doneItems(events)).toEqual([
      {
        type: 'function_call',
        id: expect.stringMatching(/^fc_/) as string,
        call_id: 'call_a',
        name: 'exec_command',
        arguments: '{"cmd":"ls"}',
        status: 'completed',
      },
      {
        type: 'function_call',
        id: expect.stringMatching(/^fc_/) as string,
        call_id: 'call_b',
        name: 'spawn_agent',
        namespace: 'multi_agent_v1',
        arguments: '{"x":1}',
        status: 'completed',
      },
    ]);
    expect(typesOf(events).filter((type) => type === 'response.function_call_arguments.delta')).toHaveLength(3);
  });

  it('a call to a freeform tool comes back as a custom_tool_call with its input', async () => {
    const { events } = await run(
      chunk(toolFragment(0, '{"input":"*** Begin Patch\\n"}', { id: 'call_p', name: 'apply_patch' })) + chunk({}, 'tool_calls') + DONE,
    );
    expect(doneItems(events)).toEqual([
      { type: 'custom_tool_call', id: expect.stringMatching(/^ctc_/) as string, call_id: 'call_p', name: 'apply_patch', input: '*** Begin Patch\n' },
    ]);
  });

  const fragment = (id: string | null, name: string | null, args: string, index?: number): Json => ({
    tool_calls: [
      {
        ...(index === undefined ? {} : { index }),
        ...(id === null ? {} : { id, type: 'function' }),
        function: { ...(name === null ? {} : { name }), arguments: args },
      },
    ],
  });
  it.each([
    [
      'parallel calls sharing index 0, each with its own id (vLLM, Ollama through LiteLLM)',
      [fragment('call_1', 'exec_command', '{"cmd":"ls"}', 0), fragment('call_2', 'exec_command', '{"cmd":"pwd"}', 0)],
      [
        ['call_1', '{"cmd":"ls"}'],
        ['call_2', '{"cmd":"pwd"}'],
      ],
    ],
    [
      'parallel calls without an index, one per chunk (Gemini)',
      [fragment('c1', 'exec_command', '{"cmd":"ls"}'), fragment('c2', 'exec_command', '{"cmd":"pwd"}')],
      [
        ['c1', '{"cmd":"ls"}'],
        ['c2', '{"cmd":"pwd"}'],
      ],
    ],
    [
      'one call whose every fragment repeats its id',
      [fragment('c1', 'exec_command', '{"cmd":', 0), fragment('c1', null, '"ls"}', 0)],
      [['c1', '{"cmd":"ls"}']],
    ],
    [
      'one call whose later fragments carry another id but no name (Poolside, older mlx servers)',
      [fragment('c1', 'exec_command', '{"cmd":', 0), fragment('c1b', null, '"ls"}', 0)],
      [['c1', '{"cmd":"ls"}']],
    ],
    [
      'one call whose later fragments carry an empty id',
      [fragment('c1', 'exec_command', '{"cmd":', 0), fragment('', null, '"ls"}', 0)],
      [['c1', '{"cmd":"ls"}']],
    ],
  ])('%s: one function_call per call', async (_name, fragments, calls) => {
    const { events } = await run([...fragments.map((delta) => chunk(delta)), chunk({}, 'tool_calls'), DONE].join(''));
    expect(doneItems(events).map((item) => [item['call_id'], item['arguments']])).toEqual(calls);
  });

  it.each([
    ['a freeform tool called without arguments gets an empty input', 'apply_patch', { type: 'custom_tool_call', input: '' }],
    ['a function called without arguments gets an empty object', 'exec_command', { type: 'function_call', arguments: '{}' }],
  ])('%s', async (_name, tool, item) => {
    const { events } = await run(chunk(toolFragment(0, '', { id: 'c', name: tool })) + chunk({}, 'tool_calls') + DONE);
    expect(doneItems(events)).toMatchObject([item]);
  });
});
