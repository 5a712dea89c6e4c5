/** A chat.completion JSON answer → the Responses JSON answer (and events, for a stream answered with JSON). */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../../src/core/errors';
import { ResponseBuilder } from '../../../../src/providers/chat/builder';
import { eventsFromCompletion, responseFromCompletion } from '../../../../src/providers/chat/json';
import { ToolNames } from '../../../../src/providers/chat/names';
import { responsesStreamProblems, type Json } from './responses-rules';

const names = new ToolNames();
names.add({ kind: 'function', name: 'exec_command', namespace: null });
names.add({ kind: 'custom', name: 'apply_patch', namespace: null });
const builder = (maxEventBytes = 8 * 1024 * 1024): ResponseBuilder => new ResponseBuilder({ model: 'gpt-test', names, maxEventBytes });
const bytes = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const completion = (message: Json, finish = 'stop', usage: Json | null = { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 }) =>
  bytes({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish }],
    ...(usage === null ? {} : { usage }),
  });

describe('chat.completion → Responses JSON', () => {
  it.each([
    [
      'text',
      { content: 'Hello' },
      'stop',
      [{ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hello', annotations: [] }] }],
    ],
    [
      'reasoning and text',
      { reasoning_content: 'hmm', content: 'Hi' },
      'stop',
      [
        { type: 'reasoning', summary: [{ type: 'summary_text', text: 'hmm' }] },
        { type: 'message', content: [{ type: 'output_text', text: 'Hi' }] },
      ],
    ],
    [
      'a tool call',
      { content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'exec_command', arguments: '{"cmd":"ls"}' } }] },
      'tool_calls',
      [{ type: 'function_call', call_id: 'call_1', name: 'exec_command', arguments: '{"cmd":"ls"}', status: 'completed' }],
    ],
    [
      'a freeform tool call',
      { content: null, tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'apply_patch', arguments: '{"input":"patch"}' } }] },
      'tool_calls',
      [{ type: 'custom_tool_call', call_id: 'call_2', name: 'apply_patch', input: 'patch' }],
    ],
  ])('%s', (_name, message, finish, output) => {
    const response = responseFromCompletion(builder(), completion(message, finish), 'api.example');
    expect(response).toMatchObject({
      object: 'response',
      status: 'completed',
      model: 'gpt-test',
      output,
      usage: { input_tokens: 7, output_tokens: 3, total_tokens: 10 },
    });
    expect(response.id).toMatch(/^resp_/);
  });

  it.each([
    ['length', 'max_output_tokens'],
    ['model_length', 'max_output_tokens'],
    ['content_filter', 'content_filter'],
  ])('finish_reason %s: status incomplete, reason %s', (finish, reason) => {
    const response = responseFromCompletion(builder(), completion({ content: 'Par' }, finish), 'api.example');
    expect(response).toMatchObject({ status: 'incomplete', incomplete_details: { reason }, output: [{ type: 'message', content: [{ text: 'Par' }] }] });
  });

  it.each(['abort', 'error'])('finish_reason %s: a retryable 502 in the one error shape, no half-made answer', (finish) => {
    const call = (): unknown => responseFromCompletion(builder(), completion({ content: 'partial' }, finish), 'api.example');
    expect(call).toThrow(GatewayError);
    try {
      call();
    } catch (error) {
      expect(error).toMatchObject({
        status: 502,
        advice: { kind: 'retry' },
        body: { type: 'server_error', code: 'upstream_answer_failed', message: expect.stringContaining(`finish_reason "${finish}"`) as string },
      });
    }
  });

  it.each([
    ['text past MAX_SSE_EVENT_BYTES', { content: 'x'.repeat(40_000) }, 'larger than 65536 bytes once translated (MAX_SSE_EVENT_BYTES)'],
    [
      'more than 128 tool calls',
      { tool_calls: Array.from({ length: 129 }, (_, n) => ({ id: `c${n}`, type: 'function', function: { name: 'exec_command', arguments: '{}' } })) },
      'more than 128 tool calls',
    ],
  ])('%s: a final 502 upstream_response_too_large in the one error shape', (_name, message, says) => {
    const call = (): unknown => responseFromCompletion(builder(65_536), completion(message, 'stop'), 'api.example');
    expect(call).toThrow(GatewayError);
    expect(call).toThrow(`codex-edge: upstream api.example sent an answer `);
    try {
      call();
    } catch (error) {
      expect(error).toMatchObject({
        status: 502,
        advice: { kind: 'final' },
        body: { code: 'upstream_response_too_large', message: expect.stringContaining(says) as string },
      });
    }
  });

  it('a streamed request answered with JSON past MAX_SSE_EVENT_BYTES: the events end with response.failed', () => {
    const events = eventsFromCompletion(builder(65_536), completion({ content: 'x'.repeat(40_000) }), 'api.example');
    const parsed = events.map((event) => JSON.parse(event.data ?? '{}') as Json);
    expect(responsesStreamProblems(parsed)).toEqual([]);
    expect(parsed.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { error: { code: 'invalid_prompt', message: expect.stringContaining('MAX_SSE_EVENT_BYTES') as string } },
    });
  });

  it('no usage: none is made up', () => {
    expect(responseFromCompletion(builder(), completion({ content: 'x' }, 'stop', null), 'api.example')).not.toHaveProperty('usage');
  });

  it('a body that is not a chat completion is a 502 naming the host', () => {
    expect(() => responseFromCompletion(builder(), bytes({ object: 'list' }), 'api.example')).toThrow(GatewayError);
    expect(() => responseFromCompletion(builder(), bytes({ object: 'list' }), 'api.example')).toThrow(
      /upstream api\.example answered 200 with JSON that is not a chat completion/,
    );
  });

  it('a streamed request answered with JSON becomes the whole event sequence', () => {
    const events = eventsFromCompletion(
      builder(),
      completion({ content: 'Hello', tool_calls: [{ id: 'c', type: 'function', function: { name: 'exec_command', arguments: '{}' } }] }, 'tool_calls'),
      'api.example',
    );
    const parsed = events.map((event) => JSON.parse(event.data ?? '{}') as Json);
    expect(responsesStreamProblems(parsed)).toEqual([]);
    expect(parsed.at(-1)?.['type']).toBe('response.completed');
  });
});
