/**
 * Chat stream → Responses stream: an answer too large to translate (too many tool calls, or an
 * event past MAX_SSE_EVENT_BYTES) fails with a small response.failed, and the upstream is cancelled.
 */
import { describe, expect, it } from 'vitest';
import { MAX_EVENT_BYTES, scriptedUpstream } from '../../stream/scripted-upstream';
import { chunk } from './responses-rules';
import { doneItems, drain, eventsOf, translated } from './translated-stream';

describe('chat stream → Responses stream', () => {
  it('one event of 170,000 tool-call fragments at distinct indexes: response.failed naming the limit, the upstream cancelled, a small answer', async () => {
    const upstream = scriptedUpstream(); // the provider keeps the stream open
    const fragments = Array.from({ length: 170_000 }, (_, index) => ({ index, function: { name: 'f' } }));
    const items = await drain(translated(upstream, chunk({ tool_calls: fragments }), 8 * 1024 * 1024));
    const events = eventsOf(items);
    expect(events.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { output: [], error: { code: 'invalid_prompt', message: expect.stringContaining('more than 128 tool calls') as string } },
    });
    expect(doneItems(events)).toEqual([]);
    expect(items.at(-1)).toMatchObject({ kind: 'end', end: 'too-large' });
    expect(upstream.cancelled()).toBe(true);
    expect(JSON.stringify(events).length).toBeLessThan(200_000); // was 168 MB
  });

  it('text past MAX_SSE_EVENT_BYTES: response.failed naming the setting and the host, the upstream cancelled, no event over the cap', async () => {
    const upstream = scriptedUpstream();
    const items = await drain(translated(upstream, Array.from({ length: 100 }, () => chunk({ content: 'x'.repeat(1000) })).join('')));
    const events = eventsOf(items);
    expect(events.at(-1)).toMatchObject({
      type: 'response.failed',
      response: {
        error: {
          code: 'invalid_prompt',
          message:
            `codex-edge: the upstream sent an answer larger than ${MAX_EVENT_BYTES} bytes once translated (MAX_SSE_EVENT_BYTES) ` +
            '(upstream api.example); not retried: asked again, the provider would answer as large. ' +
            'Ask for a smaller answer (or raise the setting the cause names, if it names one)',
        },
      },
    });
    expect(doneItems(events)).toEqual([]);
    expect(items.at(-1)).toMatchObject({ kind: 'end', end: 'too-large' });
    expect(upstream.cancelled()).toBe(true);
    const sizes = items.flatMap((item) => (item.kind === 'events' ? item.events : item.kind === 'end' && item.closing !== null ? [item.closing] : []));
    expect(Math.max(...sizes.map((event) => new TextEncoder().encode(event.text).length))).toBeLessThanOrEqual(MAX_EVENT_BYTES);
  });
});
