/** Tool names as strict providers take them, and back. */
import { describe, expect, it } from 'vitest';
import { CHAT_TOOL_NAME, chatToolName, ToolNames } from '../../../../src/providers/chat/names';

describe('chatToolName', () => {
  it.each([
    [null, 'exec_command', 'exec_command'],
    ['multi_agent_v1', 'spawn_agent', 'multi_agent_v1__spawn_agent'],
    ['', 'f', 'f'],
  ])('%s / %s → %s', (namespace, name, expected) => {
    expect(chatToolName(namespace, name)).toBe(expected);
  });

  it.each([
    ['mcp.server', 'read file'],
    [null, 'ünïcödé'],
    ['a'.repeat(40), 'b'.repeat(40)],
    [null, 'x'.repeat(65)],
    [null, 'with/slash'],
  ])('%s / %s is cleaned, tagged and valid', (namespace, name) => {
    const chat = chatToolName(namespace, name);
    expect(chat).toMatch(CHAT_TOOL_NAME);
    expect(chatToolName(namespace, name)).toBe(chat); // deterministic
  });

  it('names that clean to the same text stay apart', () => {
    expect(chatToolName(null, 'a.b')).not.toBe(chatToolName(null, 'a b'));
  });
});

describe('ToolNames', () => {
  it('maps chat names back; an unknown name is a plain function', () => {
    const names = new ToolNames();
    const chat = names.add({ kind: 'custom', name: 'apply patch', namespace: 'fs' });
    expect(names.resolve(chat)).toEqual({ kind: 'custom', name: 'apply patch', namespace: 'fs' });
    expect(names.resolve('made_up')).toEqual({ kind: 'function', name: 'made_up', namespace: null });
  });
});
