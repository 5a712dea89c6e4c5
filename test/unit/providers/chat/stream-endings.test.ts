/**
 * Chat stream → Responses stream: how the translated stream ends. Every finish_reason, an error
 * chunk, a body closed with or without [DONE]; and the source's report says what the client was told.
 */
import { describe, expect, it } from 'vitest';
import { scriptedUpstream } from '../../stream/scripted-upstream';
import { chunk, DONE, toolFragment, usageChunk } from './responses-rules';
import { doneItems, drain, run, translated, typesOf } from './translated-stream';

describe('chat stream → Responses stream', () => {
  it('finish_reason length: the text so far is kept, then a final response.failed (invalid_prompt) with the reason', async () => {
    const { events } = await run(
      chunk({ content: 'Part' }) + chunk(toolFragment(0, '{"cmd":"l', { id: 'c', name: 'exec_command' })) + chunk({}, 'length') + DONE,
    );
    expect(doneItems(events)).toMatchObject([{ type: 'message', content: [{ text: 'Part' }] }]); // the cut call is dropped
    expect(events.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { status: 'failed', error: { code: 'invalid_prompt', message: expect.stringContaining('finish_reason "length"') as string } },
    });
  });

  it('finish_reason content_filter ends the same way', async () => {
    const { events } = await run(chunk({ content: 'x' }) + chunk({}, 'content_filter') + DONE);
    expect(events.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { error: { code: 'invalid_prompt', message: expect.stringContaining('content filter') as string } },
    });
  });

  it.each([
    ['abort', 'server_error', 'failed while writing the answer'],
    ['error', 'server_error', 'failed while writing the answer'],
    ['model_length', 'invalid_prompt', 'output token limit'],
    ['length', 'invalid_prompt', 'output token limit'],
  ])('finish_reason %s: a final response.failed with code %s', async (finish, code, message) => {
    const { events } = await run(
      chunk({ content: 'Running' }) + chunk(toolFragment(0, '{"cmd":"rm -rf /tmp/bu', { id: 'c', name: 'exec_command' })) + chunk({}, finish) + DONE,
    );
    expect(events.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { error: { code, message: expect.stringContaining(`${message} (finish_reason "${finish}")`) as string } },
    });
    expect(doneItems(events).map((item) => item['type'])).toEqual(['message']); // the text closed when the call began; never the cut call
  });

  it.each(['stop', 'tool_calls', 'eos', 'end_turn'])('finish_reason %s (benign, known or not): response.completed', async (finish) => {
    const { events } = await run(chunk({ content: 'Done.' }) + chunk({}, finish) + DONE);
    expect(events.at(-1)?.['type']).toBe('response.completed');
  });

  it.each([
    ['a provider error mid-stream', { message: 'overloaded', type: 'server_error' }, 'server_error'],
    ['a context-length error', { message: "This model's maximum context length is 8192 tokens", code: 'context_length_exceeded' }, 'context_length_exceeded'],
    ['a rate limit', { message: 'Rate limit reached, try again in 2s', code: 'rate_limit_exceeded' }, 'rate_limit_exceeded'],
  ])('%s: response.failed with code %2$s', async (_name, error, code) => {
    const { events } = await run(chunk({ content: 'x' }) + `data: ${JSON.stringify({ error })}\n\n`);
    expect(events.at(-1)).toMatchObject({ type: 'response.failed', response: { error: { code, message: error.message } } });
    expect(doneItems(events)).toEqual([]); // nothing half-made enters the conversation
  });

  it('a finished stream closed without [DONE] completes', async () => {
    const { events, items } = await run(chunk({ content: 'x' }) + chunk({}, 'stop'));
    expect(typesOf(events).at(-1)).toBe('response.completed');
    expect(items.at(-1)).toMatchObject({ kind: 'end', end: 'upstream-closed' });
  });

  it('a stream closed mid-answer ends with a retryable response.failed', async () => {
    const { events } = await run(chunk({ content: 'x' }));
    expect(events.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { error: { code: 'server_error', message: expect.stringContaining('closed the stream before its terminal event') as string } },
    });
  });

  it.each([
    [
      'completed with usage',
      chunk({ content: 'x' }) + chunk({}, 'stop') + usageChunk({ prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 }) + DONE,
      { usage: { input: 10, output: 2, total: 12, cached: 0, reasoning: 0 }, failed: false, failure: null },
    ],
    [
      'closed mid-answer',
      chunk({ content: 'x' }),
      { usage: null, failed: true, failure: { code: 'server_error', message: expect.stringMatching(/closed the stream before its terminal event/) as string } },
    ],
    [
      'finish_reason length',
      chunk({ content: 'x' }) + chunk({}, 'length') + DONE,
      { usage: null, failed: true, failure: { code: 'invalid_prompt', message: expect.stringMatching(/at its output token limit/) as string } },
    ],
  ])(
    'the report is what the client was told (%s): the usage of response.completed, a failure for response.failed (its code and message)',
    async (_name, script, report) => {
      const upstream = scriptedUpstream();
      upstream.close();
      const source = translated(upstream, script);
      await drain(source);
      expect(source.report()).toEqual(report);
    },
  );
});
