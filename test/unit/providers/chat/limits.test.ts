/**
 * What one translated answer may hold (budget.ts): no event the translation makes is larger than
 * MAX_SSE_EVENT_BYTES, however the provider's answer is made up, and no answer holds more than
 * MAX_TOOL_CALLS calls; past either, the answer fails (retryably) and nothing of it is kept.
 */
import { describe, expect, it } from 'vitest';
import { AnswerBudget, jsonBytes, MAX_TOOL_CALLS } from '../../../../src/providers/chat/budget';
import { ResponseBuilder } from '../../../../src/providers/chat/builder';
import { ChatReader } from '../../../../src/providers/chat/chunks';
import { ToolNames } from '../../../../src/providers/chat/names';
import { dataEvent, type SseEvent } from '../../../../src/stream/sse';
import type { Json } from './responses-rules';

const CAP = 64 * 1024;
const bytes = (event: SseEvent): number => new TextEncoder().encode(event.text).length;

describe('jsonBytes: what a string takes inside a JSON document, UTF-8', () => {
  it.each([
    ['empty', ''],
    ['ASCII', 'ls -la'],
    ['quotes and backslashes', 'a "b" \\c'],
    ['short escapes', '\n\t\r\b\f'],
    ['other control characters', '\u0001\u000b\u001f'],
    ['two-byte', 'é ü'],
    ['three-byte', '中文 \u2028'],
    ['a surrogate pair', '😀'],
    ['lone surrogates', '\ud800 x \udc00'],
  ])('%s', (_name, text) => {
    expect(jsonBytes(text)).toBe(new TextEncoder().encode(JSON.stringify(text)).length - 2);
  });
});

describe('AnswerBudget', () => {
  it('takes bytes up to its limit, then is over for good, naming MAX_SSE_EVENT_BYTES', () => {
    const budget = new AnswerBudget(CAP, 'm');
    expect(budget.take(CAP / 2)).toBe(true);
    expect(budget.take(CAP / 2)).toBe(false);
    expect(budget.over).toBe(`sent an answer larger than ${CAP} bytes once translated (MAX_SSE_EVENT_BYTES)`);
    expect(budget.take(1)).toBe(false);
  });

  it(`counts ${MAX_TOOL_CALLS} tool calls, not one more`, () => {
    const budget = new AnswerBudget(CAP, 'm');
    expect(Array.from({ length: MAX_TOOL_CALLS }, () => budget.call()).every(Boolean)).toBe(true);
    expect(budget.call()).toBe(false);
    expect(budget.over).toBe(`sent an answer with more than ${MAX_TOOL_CALLS} tool calls (the most the gateway translates in one answer)`);
  });
});

/** One chat answer, piece by piece: the Responses events it makes, and whether it went past its limits. */
function translate(pieces: readonly Json[], count: number): { events: SseEvent[]; overflow: boolean } {
  const names = new ToolNames();
  names.add({ kind: 'custom', name: 'apply_patch', namespace: null });
  const builder = new ResponseBuilder({ model: 'gpt-test', names, maxEventBytes: CAP });
  const reader = new ChatReader(builder, (cause) => `codex-edge: ${cause} (upstream api.example)`);
  const events = builder.start();
  for (let n = 0; n < count && !reader.ended; n += 1) {
    events.push(...reader.event(dataEvent(null, { choices: [{ index: 0, delta: pieces[n % pieces.length], finish_reason: null }] })));
  }
  events.push(...reader.event({ text: 'data: [DONE]\n\n', event: null, data: '[DONE]' }));
  return { events, overflow: builder.overflow !== null };
}

const call = (n: number, args: string, name = 'exec_command'): Json => ({
  tool_calls: [{ index: n, id: `call_${'i'.repeat(40)}${n}`, function: { name, arguments: args } }],
});

describe('the largest answer that completes, and one piece more', () => {
  it.each<[string, (n: number) => Json]>([
    ['ASCII text', () => ({ content: 'x'.repeat(997) })],
    ['text that JSON escapes', () => ({ content: '"\\\n\u0001'.repeat(101) })],
    ['text of emoji and CJK', () => ({ content: '😀中é'.repeat(113) })],
    ['reasoning', () => ({ reasoning_content: 'r'.repeat(1009) })],
    ['reasoning and text in turn', (n) => (n % 2 === 0 ? { reasoning_content: 'r'.repeat(211) } : { content: 't'.repeat(307) })],
    [
      'one call, its arguments in fragments',
      (n) => (n === 0 ? call(0, '{"cmd":"') : { tool_calls: [{ index: 0, function: { arguments: 'a\\"'.repeat(331) } }] }),
    ],
    [
      'a freeform tool input',
      (n) => (n === 0 ? call(0, '{"input":"', 'apply_patch') : { tool_calls: [{ index: 0, function: { arguments: 'p'.repeat(499) } }] }),
    ],
    ['many calls', (n) => call(n, `{"cmd":"${'c'.repeat(421)}"}`)],
  ])('%s: every event within MAX_SSE_EVENT_BYTES; past it, response.failed', (_name, piece) => {
    const pieces = Array.from({ length: 400 }, (_, n) => piece(n));
    const past = translate(pieces, pieces.length);
    expect(past.overflow).toBe(true);
    const over = past.events.findIndex((event) => event.event === 'response.failed');
    const last = JSON.parse(past.events.at(-1)?.data ?? '{}') as Json;
    expect(last).toMatchObject({ type: 'response.failed', response: { output: [], error: { code: 'invalid_prompt' } } });
    expect(over).toBe(past.events.length - 1);

    // The pieces that fit: the answer completes, its largest event near the limit and within it.
    const fitting = pieces.findIndex((_, n) => translate(pieces, n + 1).overflow);
    const within = translate(pieces, fitting);
    expect(within.overflow).toBe(false);
    expect(within.events.at(-1)?.event).toBe('response.completed');
    const largest = Math.max(...within.events.map(bytes));
    expect(largest).toBeLessThanOrEqual(CAP);
    expect(largest).toBeGreaterThan(CAP * 0.75);
    expect(Math.max(...past.events.map(bytes))).toBeLessThanOrEqual(CAP);
  });

  it(`the ${MAX_TOOL_CALLS + 1}th call fails the answer, naming the limit`, () => {
    const pieces = Array.from({ length: MAX_TOOL_CALLS + 1 }, (_, n) => ({
      tool_calls: [{ index: n, id: `c${n}`, function: { name: 'f', arguments: '{}' } }],
    }));
    expect(translate(pieces, MAX_TOOL_CALLS).events.at(-1)?.event).toBe('response.completed');
    const past = translate(pieces, MAX_TOOL_CALLS + 1);
    expect(JSON.parse(past.events.at(-1)?.data ?? '{}')).toMatchObject({
      type: 'response.failed',
      response: {
        output: [],
        error: {
          code: 'invalid_prompt',
          message:
            `codex-edge: the upstream sent an answer with more than ${MAX_TOOL_CALLS} tool calls ` +
            '(the most the gateway translates in one answer) (upstream api.example)',
        },
      },
    });
  });
});
