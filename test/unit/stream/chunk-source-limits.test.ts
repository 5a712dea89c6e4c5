/**
 * The byte relay's guarantees in time and size (stream/chunk-source.ts): heartbeats between
 * events, the idle cap, the event cap, and a client that goes away.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ChunkItem } from '../../../src/stream/chunk-source';
import { useFakeClock } from '../fake-clock';
import { chunksOver, CREATED, delta, transcript } from './chunk-relay';
import { HEARTBEAT_MS, IDLE_MS, itemsWhileSending, scriptedUpstream } from './scripted-upstream';

useFakeClock();

describe('heartbeats, the idle cap and the event cap', () => {
  it('a heartbeat goes out between events, never inside one that is still arriving', async () => {
    const upstream = scriptedUpstream();
    const source = chunksOver(upstream, 'responses', CREATED);
    const items: ChunkItem[] = [await source.next()];
    const half = delta(1, 'split in two');
    upstream.send(half.slice(0, 20));
    const heartbeat = source.next(); // the half event waits
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
    items.push(await heartbeat);
    upstream.send(half.slice(20));
    items.push(await source.next());
    expect(transcript(items)).toBe(`${CREATED}<hb>${half}`);
  });

  it('the idle cap ends a silent stream with the closing event; comments alone neither hold it off nor put the heartbeat off', async () => {
    const upstream = scriptedUpstream();
    const source = chunksOver(upstream, 'responses', CREATED);
    await source.next();
    const items = await itemsWhileSending(source, upstream, { text: ': PROCESSING\n\n', everyMs: HEARTBEAT_MS / 2, forMs: IDLE_MS });
    expect(items.filter(([, item]) => item.kind === 'heartbeat').map(([at]) => at)).toEqual([HEARTBEAT_MS, 2 * HEARTBEAT_MS, 3 * HEARTBEAT_MS]);
    expect(transcript(items.filter(([, item]) => item.kind === 'chunks').map(([, item]) => item))).toMatch(/^(: PROCESSING\n\n)+$/);
    expect(items.at(-1)).toEqual([
      IDLE_MS,
      expect.objectContaining({ end: 'idle', closing: expect.objectContaining({ event: 'response.failed' }) as unknown }),
    ]);
    expect(upstream.cancelled()).toBe(true);
  });

  it('an event past the cap ends the stream with none of it sent', async () => {
    const upstream = scriptedUpstream();
    const source = chunksOver(upstream, 'responses', CREATED);
    await source.next();
    for (let i = 0; i < 20; i += 1) upstream.send(`data: ${'x'.repeat(4 * 1024)}`);
    const end = await source.next();
    expect(end).toMatchObject({ end: 'too-large', closing: { event: 'response.failed' } });
    expect(upstream.cancelled()).toBe(true);
    // Final: asked again, the provider would send it again (Codex retried it five times: six answers of over 8 MiB).
    const failed = JSON.parse(end.kind === 'end' ? (end.closing?.data ?? '{}') : '{}') as { response: { error: { code: string; message: string } } };
    expect(failed.response.error.code).toBe('invalid_prompt');
    expect(failed.response.error.message).toMatch(/MAX_SSE_EVENT_BYTES.*not retried/);
  });

  it('a client that goes away cancels the upstream and stops the timers', async () => {
    const upstream = scriptedUpstream();
    const source = chunksOver(upstream, 'responses', CREATED);
    await source.next();
    const pending = source.next();
    source.cancel();
    expect(upstream.cancelled()).toBe(true);
    await pending;
    expect(vi.getTimerCount()).toBe(0);
  });
});
