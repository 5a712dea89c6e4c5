/**
 * Chat stream → Responses stream, in-process (translated-stream.ts): a plain answer, reasoning,
 * and what counts as the preamble a stream is held back for. Each row checks what Codex needs.
 */
import { describe, expect, it } from 'vitest';
import { pastChatPreamble } from '../../../../src/providers/chat/stream';
import { chunk, DONE, toolFragment, usageChunk, type Json } from './responses-rules';
import { doneItems, run, typesOf } from './translated-stream';

describe('chat stream → Responses stream', () => {
  it('a plain answer: created, message added before its deltas, done with the whole text, completed with usage', async () => {
    const { events, items } = await run(
      chunk({ role: 'assistant', content: '' }) +
        chunk({ content: 'Hel' }) +
        chunk({ content: 'lo' }) +
        chunk({}, 'stop') +
        usageChunk({ prompt_tokens: 10, completion_tokens: 2, total_tokens: 12, prompt_tokens_details: { cached_tokens: 4 } }) +
        DONE,
    );
    expect(typesOf(events)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(doneItems(events)[0]).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello' }] });
    const completed = events.at(-1)?.['response'] as Json;
    expect(completed['id']).toBe(events[0]?.['response'] && (events[0]['response'] as Json)['id']);
    expect(completed['usage']).toEqual({
      input_tokens: 10,
      output_tokens: 2,
      total_tokens: 12,
      input_tokens_details: { cached_tokens: 4 },
      output_tokens_details: { reasoning_tokens: 0 },
    });
    expect(items.at(-1)).toMatchObject({ kind: 'end', end: 'terminal' });
  });

  it('reasoning deltas become a reasoning item with a summary, closed before the text', async () => {
    const { events } = await run(
      chunk({ reasoning_content: 'Let me ' }) + chunk({ reasoning_content: 'think.' }) + chunk({ content: 'Answer.' }) + chunk({}, 'stop') + DONE,
    );
    expect(typesOf(events).slice(2, 6)).toEqual([
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
    ]);
    expect(doneItems(events)).toMatchObject([
      { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Let me think.' }] },
      { type: 'message', content: [{ text: 'Answer.' }] },
    ]);
  });

  it('pastChatPreamble: a role chunk alone is preamble; content, a tool call, a finish or an error is not', () => {
    expect(pastChatPreamble(chunk({ role: 'assistant', content: '' }))).toBe(false);
    expect(pastChatPreamble(chunk({ role: 'assistant', content: null }))).toBe(false);
    for (const head of [
      chunk({ content: 'H' }),
      chunk({ reasoning_content: 'r' }),
      chunk(toolFragment(0, '', { id: 'c', name: 'f' })),
      chunk({}, 'stop'),
      'data: {"error":{"message":"x"}}\n\n',
      DONE,
    ]) {
      expect(pastChatPreamble(head)).toBe(true);
    }
  });
});
