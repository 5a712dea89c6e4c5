/**
 * Property tests: random valid Responses requests (a small seeded generator: any failure names
 * its seed) through the translator, each chat request checked against the strict provider's
 * rules (simulator/strict-chat.ts, the same rules the simulator's strict mode enforces) and
 * against what must survive translation; random chat streams through the stream translator,
 * each checked against what Codex and the SDK require of a Responses stream.
 */
import { describe, expect, it } from 'vitest';
import { strictChatViolation } from '../../../../simulator/strict-chat';
import { DEFAULT_CHAT_CAPABILITIES, type ChatCapabilities } from '../../../../src/config/chat-capabilities';
import { ResponseBuilder } from '../../../../src/providers/chat/builder';
import { ChatReader } from '../../../../src/providers/chat/chunks';
import { CHAT_TOOL_NAME, ToolNames } from '../../../../src/providers/chat/names';
import { translateRequest } from '../../../../src/providers/chat/request';
import { dataEvent } from '../../../../src/stream/sse';
import { responsesStreamProblems, type Json } from './responses-rules';

const CASES = 400;

/** mulberry32: a tiny seeded PRNG. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  #ids = 0;
  constructor(readonly next: () => number) {}
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  id(prefix: string): string {
    this.#ids += 1;
    return `${prefix}_${this.#ids}_${this.int(1e6)}`;
  }
  text(): string {
    return this.pick(['hi', 'say "hello"', 'line\nbreak', 'ünïcödé ✓', '', '{"json": true}', 'a'.repeat(this.int(50))]);
  }
  name(): string {
    return this.pick(['exec_command', 'view_image', 'get_goal', 'read.file', 'has space', 'ünï', 'x'.repeat(70), 'mcp__server__tool', 'a-b_c']);
  }
}

function genTools(g: Gen): Json[] {
  return Array.from({ length: g.int(5) }, (): Json => {
    switch (g.int(5)) {
      case 0:
        return {
          type: 'namespace',
          name: g.pick(['multi_agent_v1', 'mcp.fs', 'ns']),
          description: 'ns',
          tools: Array.from({ length: 1 + g.int(3) }, () => ({
            type: g.chance(0.8) ? 'function' : 'custom',
            name: g.name(),
            parameters: { type: 'object', properties: {} },
          })),
        };
      case 1:
        return {
          type: 'custom',
          name: g.pick(['apply_patch', 'free form']),
          description: 'freeform',
          format: g.chance(0.5) ? { type: 'text' } : { type: 'grammar', syntax: 'lark', definition: 'start: /.+/' },
        };
      case 2:
        return { type: g.pick(['web_search', 'file_search', 'image_generation', 'local_shell']) };
      default:
        return {
          type: 'function',
          name: g.name(),
          description: g.text(),
          strict: g.chance(0.5),
          parameters: { type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'] },
        };
    }
  });
}

function message(g: Gen, role: string): Json {
  const partType = role === 'assistant' ? 'output_text' : 'input_text';
  if (g.chance(0.3)) return { role, content: g.text() || 'x' };
  const parts: Json[] = [{ type: partType, text: g.text() }];
  if (role === 'user' && g.chance(0.2)) parts.push({ type: 'input_image', image_url: 'data:image/png;base64,AAAA' });
  return { type: 'message', role, content: parts };
}

function genInput(g: Gen, tools: Json[]): Json[] {
  const items: Json[] = [message(g, 'user')];
  const open: { id: string; custom: boolean }[] = [];
  if (g.chance(0.3)) items.push({ type: 'additional_tools', tools: genTools(g) });
  for (let n = 0, count = 1 + g.int(14); n < count; n += 1) {
    switch (g.int(9)) {
      case 0:
        items.push(message(g, g.pick(['developer', 'system'])));
        break;
      case 1:
      case 2:
        items.push(message(g, 'user'));
        break;
      case 3:
        items.push(message(g, 'assistant'));
        break;
      case 4: {
        const custom = g.chance(0.2);
        const id = g.id('call');
        const namespace = g.chance(0.2) ? { namespace: 'multi_agent_v1' } : {};
        items.push(
          custom
            ? { type: 'custom_tool_call', call_id: id, name: 'apply_patch', input: g.text() }
            : { type: 'function_call', call_id: id, name: g.name(), arguments: g.chance(0.9) ? '{"cmd":"ls"}' : '', ...namespace },
        );
        open.push({ id, custom });
        break;
      }
      case 5: {
        // The output of an earlier call (in any order), of a call not in the input, or none at all.
        const call = g.chance(0.85) ? open.splice(g.int(open.length), 1)[0] : { id: g.id('orphan'), custom: false };
        if (call !== undefined)
          items.push({
            type: call.custom ? 'custom_tool_call_output' : 'function_call_output',
            call_id: call.id,
            output: g.chance(0.8) ? g.text() : [{ type: 'input_text', text: g.text() }],
          });
        break;
      }
      case 6:
        items.push({ type: 'reasoning', id: g.id('rs'), summary: [{ type: 'summary_text', text: g.text() }], encrypted_content: null });
        break;
      case 7:
        items.push({ type: 'web_search_call', id: g.id('ws'), status: 'completed' });
        break;
      default:
        if (tools.length > 0 && g.chance(0.5)) items.push(message(g, 'user'));
    }
  }
  return items;
}

function genRequest(g: Gen): Json {
  const tools = genTools(g);
  return {
    model: 'gpt-test',
    stream: g.chance(0.7),
    ...(g.chance(0.3) ? { instructions: g.text() } : {}),
    input: g.chance(0.1) ? g.text() : genInput(g, tools),
    ...(tools.length > 0 ? { tools } : {}),
    tool_choice: g.pick(['auto', 'required', 'none', { type: 'function', name: 'exec_command' }, { type: 'web_search' }]),
    parallel_tool_calls: g.chance(0.5),
    reasoning: g.pick([{ summary: 'auto' }, { effort: 'high', summary: 'auto' }, { effort: 'minimal' }]),
    store: false,
    include: ['reasoning.encrypted_content'],
    prompt_cache_key: 'k',
    client_metadata: { a: 'b' },
    ...(g.chance(0.2) ? { max_output_tokens: 1 + g.int(4000) } : {}),
    ...(g.chance(0.1) ? { text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' } } } } : {}),
  };
}

const PROFILES: readonly Partial<ChatCapabilities>[] = [
  {},
  { parallelToolCalls: true, reasoningEfforts: ['low', 'high'], reasoningContent: true },
  { streamUsage: false, strictTools: true },
];

describe('random Responses requests → chat requests a strict provider takes', () => {
  it.each(Array.from({ length: CASES }, (_, seed) => seed))('seed %i', (seed) => {
    const g = new Gen(random(seed));
    const request = genRequest(g);
    const profile = PROFILES[seed % PROFILES.length] ?? {};
    const caps = { ...DEFAULT_CHAT_CAPABILITIES, ...profile };
    const { body, names } = translateRequest(request, null, caps);
    expect(strictChatViolation(body)?.message ?? null).toBeNull();

    // Every call of the input is an assistant tool call, answered by exactly one tool message.
    const input = Array.isArray(request['input']) ? (request['input'] as Json[]) : [];
    const callIds = input.filter((item) => item['type'] === 'function_call' || item['type'] === 'custom_tool_call').map((item) => item['call_id']);
    const sentCalls = body.messages.flatMap((m) => (m.role === 'assistant' ? (m.tool_calls ?? []).map((c) => c.id) : []));
    expect(sentCalls.sort()).toEqual([...callIds].sort());
    const answers = body.messages.flatMap((m) => (m.role === 'tool' ? [m.tool_call_id] : []));
    expect(answers.sort()).toEqual([...callIds].sort());
    // Tool names are valid, unique, and map back to what the client offered.
    const toolNames = (body.tools ?? []).map((tool) => tool.function.name);
    expect(new Set(toolNames).size).toBe(toolNames.length);
    for (const name of toolNames) {
      expect(name).toMatch(CHAT_TOOL_NAME);
      expect(names.has(name)).toBe(true);
    }
    // Only what the provider takes is sent.
    if (!caps.parallelToolCalls) expect(body).not.toHaveProperty('parallel_tool_calls');
    if (caps.reasoningEfforts.length === 0) expect(body).not.toHaveProperty('reasoning_effort');
    if (!caps.strictTools) expect(JSON.stringify(body.tools ?? [])).not.toContain('"strict"');
    if (!caps.reasoningContent) expect(JSON.stringify(body.messages)).not.toContain('reasoning_content');
  });
});

describe('random chat streams → Responses streams Codex and the SDK accept', () => {
  it.each(Array.from({ length: CASES / 2 }, (_, seed) => seed))('seed %i', (seed) => {
    const g = new Gen(random(10_000 + seed));
    const names = new ToolNames();
    names.add({ kind: 'custom', name: 'apply_patch', namespace: null });
    const builder = new ResponseBuilder({ model: 'm', names, maxEventBytes: 8 * 1024 * 1024 });
    const reader = new ChatReader(builder, (cause) => cause);
    const events = [...builder.start()];
    const calls = 1 + g.int(3);
    const chunk = (delta: Json, finish: string | null = null): void => {
      events.push(...reader.event(dataEvent(null, { choices: [{ index: 0, delta, finish_reason: finish }] })));
    };
    chunk({ role: 'assistant', content: '' });
    for (let n = 0, count = g.int(20); n < count; n += 1) {
      const call = g.int(calls);
      switch (g.int(4)) {
        case 0:
          chunk({ reasoning_content: g.text() });
          break;
        case 1:
          chunk({ content: g.text() });
          break;
        default:
          chunk({
            tool_calls: [
              {
                index: call,
                id: `call_${call}`,
                function: { name: g.pick(['exec_command', 'apply_patch', 'ns__f']), arguments: g.pick(['{"a":', '1}', '', '"x"']) },
              },
            ],
          });
      }
    }
    const end = g.int(4);
    if (end === 0) events.push(...reader.error({ message: 'broken', code: 'server_error' }));
    else {
      chunk({}, g.pick(['stop', 'tool_calls', 'length', 'content_filter', 'model_length', 'abort', 'error']));
      events.push(...reader.event(dataEvent(null, { choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } })));
      events.push(...reader.event({ text: 'data: [DONE]\n\n', event: null, data: '[DONE]' }));
    }
    expect(responsesStreamProblems(events.map((event) => JSON.parse(event.data ?? '{}') as Json))).toEqual([]);
  });
});
