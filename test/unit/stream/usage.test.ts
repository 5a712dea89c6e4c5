import { describe, expect, it } from 'vitest';
import { TAIL_CHARS, tokenUsage, usageIn, usageInTail, usageOfBody, type TokenUsage } from '../../../src/stream/usage';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('tokenUsage', () => {
  it.each<[string, unknown, TokenUsage | null]>([
    [
      'Responses, with details',
      { input_tokens: 100, output_tokens: 20, total_tokens: 120, input_tokens_details: { cached_tokens: 64 }, output_tokens_details: { reasoning_tokens: 8 } },
      { input: 100, output: 20, total: 120, cached: 64, reasoning: 8 },
    ],
    ['Responses, bare', { input_tokens: 5, output_tokens: 1 }, { input: 5, output: 1, total: 6, cached: 0, reasoning: 0 }],
    [
      'Chat, with details',
      {
        prompt_tokens: 9,
        completion_tokens: 3,
        total_tokens: 12,
        prompt_tokens_details: { cached_tokens: 2 },
        completion_tokens_details: { reasoning_tokens: 1 },
      },
      { input: 9, output: 3, total: 12, cached: 2, reasoning: 1 },
    ],
    [
      'Chat, details null',
      { prompt_tokens: 9, completion_tokens: 3, prompt_tokens_details: null },
      { input: 9, output: 3, total: 12, cached: 0, reasoning: 0 },
    ],
    ['null', null, null],
    ['not counts', { input_tokens: '5', output_tokens: 1 }, null],
    ['negative', { prompt_tokens: -1, completion_tokens: 1 }, null],
    ['half', { input_tokens: 5 }, null],
    ['not an object', 42, null],
  ])('%s', (_name, usage, expected) => {
    expect(tokenUsage(usage)).toEqual(expected);
  });
});

describe('usage in a document', () => {
  const big = (usage: string) => `{"id":"r","output":[{"text":"${'y'.repeat(TAIL_CHARS * 3)}"}],"usage":${usage},"metadata":{}}`;

  it.each<[string, TokenUsage | null]>([
    [
      '{"id":"chatcmpl","choices":[],"usage":{"prompt_tokens":4,"completion_tokens":2,"total_tokens":6}}',
      { input: 4, output: 2, total: 6, cached: 0, reasoning: 0 },
    ],
    ['{"object":"response","usage":{"input_tokens":4,"output_tokens":2}}', { input: 4, output: 2, total: 6, cached: 0, reasoning: 0 }],
    ['{"object":"response","usage":null}', null],
    ['{"object":"response","output":[{"usage":{"input_tokens":1,"output_tokens":1}}]}', null], // small documents: the top level only
    ['not json', null],
    [
      big('{"input_tokens":1000,"output_tokens":10,"input_tokens_details":{"cached_tokens":900}}'),
      { input: 1000, output: 10, total: 1010, cached: 900, reasoning: 0 },
    ],
    [big('null'), null],
  ])('%#', (text, expected) => {
    expect(usageIn(text)).toEqual(expected);
    expect(usageOfBody(encode(text))).toEqual(expected);
  });

  it("a Responses event: the response's usage", () => {
    expect(usageIn('{"type":"response.completed","response":{"usage":{"input_tokens":3,"output_tokens":4}}}', ['response'])).toMatchObject({
      input: 3,
      output: 4,
    });
  });
});

describe('usageInTail', () => {
  it.each<[string, string, TokenUsage | null]>([
    [
      'the last usage object wins',
      '{"a":{"usage":{"input_tokens":1,"output_tokens":1}},"usage":{"input_tokens":7,"output_tokens":3}}',
      { input: 7, output: 3, total: 10, cached: 0, reasoning: 0 },
    ],
    [
      'braces inside strings do not confuse it',
      '{"usage":{"input_tokens":2,"output_tokens":2,"note":"}{\\"}"}}',
      { input: 2, output: 2, total: 4, cached: 0, reasoning: 0 },
    ],
    ['an object cut short', '{"usage":{"input_tokens":2,"output_tokens"', null],
    ['a usage mentioned inside a string (escaped quotes) is not one', '{"text":"\\"usage\\": {\\"input_tokens\\": 1, \\"output_tokens\\": 1}"}', null],
    ['none', '{"id":"x"}', null],
  ])('%s', (_name, text, expected) => {
    expect(usageInTail(text)).toEqual(expected);
  });

  it('reads only the tail: a usage further back than TAIL_CHARS is not found', () => {
    const text = `{"usage":{"input_tokens":1,"output_tokens":1},"pad":"${'z'.repeat(TAIL_CHARS)}"}`;
    expect(usageInTail(text)).toBeNull();
  });
});
