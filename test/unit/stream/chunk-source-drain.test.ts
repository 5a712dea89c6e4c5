/**
 * The byte relay after the terminal event (stream/chunk-source.ts): nothing more reaches the
 * client, and the upstream body is read to its end, bounded in bytes and in time.
 */
import { describe, expect, it, vi } from 'vitest';
import { DRAIN_MAX_BYTES, DRAIN_MAX_MS, upstreamChunks } from '../../../src/stream/chunk-source';
import { useFakeClock } from '../fake-clock';
import { chunksOver, COMPLETED, CREATED, transcript } from './chunk-relay';
import { relayOptions, scriptedUpstream } from './scripted-upstream';

useFakeClock();

describe('after the terminal event', () => {
  it('what follows it in the same read is dropped; the body is read to its end, not cancelled', async () => {
    const upstream = scriptedUpstream();
    upstream.send(`${COMPLETED}data: {"after":"the end"}\n\n`);
    const source = chunksOver(upstream, 'responses', CREATED);
    expect(transcript([await source.next(), await source.next()])).toBe(CREATED + COMPLETED);
    const end = source.next();
    upstream.send('data: {"more":"trailing"}\n\n');
    upstream.close();
    expect(await end).toEqual({ kind: 'end', end: 'terminal', closing: null, failure: null });
    expect(upstream.cancelled()).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it(`an upstream that keeps sending is cancelled after ${DRAIN_MAX_BYTES} bytes`, async () => {
    const upstream = scriptedUpstream();
    const source = chunksOver(upstream, 'chat', 'data: [DONE]\n\n');
    await source.next();
    const end = source.next();
    for (let i = 0; i < 20; i += 1) upstream.send(`data: ${'x'.repeat(8 * 1024)}\n\n`);
    expect(await end).toMatchObject({ kind: 'end', end: 'terminal', closing: null });
    expect(upstream.cancelled()).toBe(true);
  });

  it(`an upstream that stays open is cancelled after ${DRAIN_MAX_MS} ms`, async () => {
    const upstream = scriptedUpstream();
    const source = chunksOver(upstream, 'responses', CREATED + COMPLETED);
    await source.next();
    let settled = false;
    const end = source.next().finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(DRAIN_MAX_MS - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await end).toMatchObject({ kind: 'end', end: 'terminal', closing: null });
    expect(upstream.cancelled()).toBe(true);
  });
  it(`the drain lasts ${DRAIN_MAX_MS} ms too when the terminal event came while a heartbeat was due later`, async () => {
    const upstream = scriptedUpstream();
    const source = upstreamChunks(relayOptions(upstream, 'responses', CREATED, { heartbeatMs: 15 * DRAIN_MAX_MS, idleMs: 300 * DRAIN_MAX_MS }));
    await source.next();
    const terminal = source.next(); // a read under way: the timer is set for the heartbeat
    await vi.advanceTimersByTimeAsync(100);
    upstream.send(COMPLETED);
    expect(transcript([await terminal])).toBe(COMPLETED);
    let settled = false;
    const end = source.next().finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(DRAIN_MAX_MS - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled, 'the client still waits for the end of its response').toBe(true);
    expect(await end).toMatchObject({ kind: 'end', end: 'terminal', closing: null });
    expect(upstream.cancelled()).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
