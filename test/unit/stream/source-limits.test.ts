/**
 * The event source's bounds against a hostile upstream: an event that never ends is cut at
 * MAX_SSE_EVENT_BYTES (memory stays bounded), and the idle timer is fed by the bytes of an
 * event still arriving, so a slow giant event is not mistaken for silence.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { upstreamEvents, type EventSource } from '../../../src/stream/source';
import { relayOptions, scriptedUpstream, type ScriptedUpstream } from './scripted-upstream';

const IDLE_MS = 1_000;
const MAX_EVENT_BYTES = 4 * 1024;

function sourceOver(upstream: ScriptedUpstream): EventSource {
  const first = 'data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1"}}\n\n';
  return upstreamEvents(
    relayOptions(upstream, 'responses', first, {
      heartbeatMs: 60_000,
      idleMs: IDLE_MS,
      maxEventBytes: MAX_EVENT_BYTES,
      explain: (cause) => `codex-edge: ${cause}`,
    }),
  );
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('an event that never ends', () => {
  it('is cut at the cap: the stream ends with response.failed naming the setting, and the upstream is cancelled', async () => {
    const upstream = scriptedUpstream();
    const source = sourceOver(upstream);
    expect((await source.next()).kind).toBe('events');
    const item = source.next();
    upstream.send(`data: {"type":"response.output_text.delta","delta":"${'x'.repeat(MAX_EVENT_BYTES)}`);
    const end = await item;
    expect(end).toMatchObject({ kind: 'end', end: 'too-large', failure: null });
    expect(end.kind === 'end' ? end.closing?.data : null).toContain('MAX_SSE_EVENT_BYTES');
    expect(upstream.cancelled()).toBe(true);
    // Final (a code Codex stops on): asked again, the provider would send it again.
    expect(JSON.parse(end.kind === 'end' ? (end.closing?.data ?? '{}') : '{}')).toMatchObject({ response: { error: { code: 'invalid_prompt' } } });
  });

  it('a whole event over the cap, arriving in one chunk, is cut too', async () => {
    const upstream = scriptedUpstream();
    const source = sourceOver(upstream);
    await source.next();
    const item = source.next();
    upstream.send(`data: ${'y'.repeat(MAX_EVENT_BYTES + 1)}\n\n`);
    expect(await item).toMatchObject({ kind: 'end', end: 'too-large' });
  });
});

describe('the idle timer', () => {
  it('is fed by the bytes of an event still arriving', async () => {
    const upstream = scriptedUpstream();
    const source = sourceOver(upstream);
    await source.next();
    const item = source.next();
    upstream.send('data: {"type":"response.output_text.delta","delta":"');
    for (let i = 0; i < 5; i += 1) {
      await vi.advanceTimersByTimeAsync(IDLE_MS * 0.8);
      upstream.send('abc');
    }
    upstream.send('"}\n\n');
    const events = await item;
    expect(events.kind).toBe('events'); // 4 s of a slow event, no idle end
  });

  it('is not fed by upstream comments: a stream of pings alone still ends at the cap', async () => {
    const upstream = scriptedUpstream();
    const source = sourceOver(upstream);
    await source.next();
    const reading = (async () => {
      for (;;) {
        const item = await source.next();
        if (item.kind === 'end') return item;
      }
    })();
    for (let i = 0; i < 3; i += 1) {
      upstream.send(': ping\n\n');
      await vi.advanceTimersByTimeAsync(IDLE_MS / 2);
    }
    expect(await reading).toMatchObject({ kind: 'end', end: 'idle' });
  });
});
