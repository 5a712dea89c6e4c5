/** The capability switches: the env var's comma list and the admin API's JSON object. */
import { describe, expect, it } from 'vitest';
import {
  capabilitiesFromJson,
  capabilitiesToJson,
  CapabilityError,
  DEFAULT_CHAT_CAPABILITIES,
  parseCapabilityList,
} from '../../../src/config/chat-capabilities';
import { parseSettings } from '../../../src/config/settings';

describe('UPSTREAM_CHAT_CAPABILITIES', () => {
  it.each([
    ['', {}],
    ['developer_role', { developerRole: true }],
    ['system_anywhere=true, strict_tools', { systemAnywhere: true, strictTools: true }],
    ['stream_usage=false', { streamUsage: false }],
    ['parallel_tool_calls,reasoning_content', { parallelToolCalls: true, reasoningContent: true }],
    ['reasoning_effort=low|medium|high', { reasoningEfforts: ['low', 'medium', 'high'] }],
    ['reasoning_effort=off', { reasoningEfforts: [] }],
  ])('%j', (text, over) => {
    expect(parseCapabilityList(text)).toEqual({ ...DEFAULT_CHAT_CAPABILITIES, ...over });
  });

  it.each([['developer'], ['stream_usage=maybe'], ['reasoning_effort'], ['reasoning_effort=extreme']])('%j is refused', (text) => {
    expect(() => parseCapabilityList(text)).toThrow(CapabilityError);
  });

  it('a wrong list is a configuration error naming the setting', () => {
    const result = parseSettings({ UPSTREAM_BASE_URL: 'https://api.example/v1', UPSTREAM_WIRE_API: 'chat', UPSTREAM_CHAT_CAPABILITIES: 'developer' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.body.message).toMatch(/UPSTREAM_CHAT_CAPABILITIES: "developer" is not a capability/);
  });

  it('without UPSTREAM_WIRE_API = "chat" the list is a configuration error, not ignored', () => {
    const result = parseSettings({ UPSTREAM_BASE_URL: 'https://api.example/v1', UPSTREAM_CHAT_CAPABILITIES: 'developer_role' });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error.body.message).toMatch(/UPSTREAM_CHAT_CAPABILITIES applies only to a Chat Completions upstream: set UPSTREAM_WIRE_API = "chat"/);
  });

  it('UPSTREAM_WIRE_API: responses by default, chat when asked, nothing else', () => {
    const wire = (value: string | undefined) => {
      const result = parseSettings({ UPSTREAM_BASE_URL: 'https://api.example/v1', ...(value === undefined ? {} : { UPSTREAM_WIRE_API: value }) });
      return result.ok ? result.settings.upstream?.wire : result.error.body.message;
    };
    expect(wire(undefined)).toBe('responses');
    expect(wire('chat')).toBe('chat');
    expect(wire('completions')).toMatch(/UPSTREAM_WIRE_API must be "responses" or "chat", got "completions"/);
  });
});

describe('capabilities field (admin)', () => {
  it('reads the switches that differ, and writes only those back', () => {
    const caps = capabilitiesFromJson({ developer_role: true, reasoning_effort: ['high'] });
    expect(caps).toEqual({ ...DEFAULT_CHAT_CAPABILITIES, developerRole: true, reasoningEfforts: ['high'] });
    expect(capabilitiesToJson(caps)).toEqual({ developer_role: true, reasoning_effort: ['high'] });
    expect(capabilitiesToJson(DEFAULT_CHAT_CAPABILITIES)).toEqual({});
  });

  it.each([[[]], [{ developer_role: 'yes' }], [{ reasoning_effort: 'high' }], [{ unknown: true }]])('%j is refused', (value) => {
    expect(() => capabilitiesFromJson(value)).toThrow(CapabilityError);
  });
});
