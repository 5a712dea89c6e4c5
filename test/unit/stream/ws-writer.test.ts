/** The WebSocket writer in-process: an event source of given items, the frames it sends, the summary it returns. */
import { describe, expect, it } from 'vitest';
import { commentEvent, dataEvent, type SseEvent } from '../../../src/stream/sse';
import type { EventSource, SourceItem } from '../../../src/stream/source';
import { writeFrames } from '../../../src/stream/ws-writer';

/** A source that hands out the items in order, then waits forever; records whether it was cancelled. */
function itemSource(items: readonly SourceItem[]): EventSource & { cancelled: () => boolean } {
  const queue = [...items];
  let cancelled = false;
  return {
    next: () => {
      const item = queue.shift();
      return item === undefined ? new Promise<SourceItem>(() => undefined) : Promise.resolve(item);
    },
    cancel: () => {
      cancelled = true;
    },
    report: () => ({ usage: null, failed: false, failure: null }),
    cancelled: () => cancelled,
  };
}

const event = (type: string): SseEvent => dataEvent(type, { type });
const HEARTBEAT = '{"type":"codex_edge.heartbeat"}';

async function run(items: readonly SourceItem[]) {
  const frames: string[] = [];
  const seen: (string | null)[] = [];
  const summary = await writeFrames(itemSource(items), {
    send: (text) => frames.push(text),
    heartbeat: HEARTBEAT,
    signal: new AbortController().signal,
    onEvent: (e) => seen.push(e.event),
  });
  return { frames: frames.map((text) => (JSON.parse(text) as { type: string }).type), seen, summary };
}

describe('writeFrames', () => {
  it.each<[string, SourceItem[], string[], Partial<{ end: string; repaired: boolean }>]>([
    [
      'each event is one frame, in order; comments are left out',
      [
        { kind: 'events', events: [event('response.created'), commentEvent('x'), event('response.completed')] },
        { kind: 'end', end: 'terminal', closing: null, failure: null },
      ],
      ['response.created', 'response.completed'],
      { end: 'terminal', repaired: false },
    ],
    [
      'a heartbeat is a frame of the ignored type',
      [{ kind: 'heartbeat' }, { kind: 'end', end: 'terminal', closing: null, failure: null }],
      ['codex_edge.heartbeat'],
      { end: 'terminal', repaired: false },
    ],
    [
      'the closing event the gateway owes is the last frame',
      [
        { kind: 'events', events: [event('response.created')] },
        { kind: 'end', end: 'upstream-broke', closing: event('response.failed'), failure: null },
      ],
      ['response.created', 'response.failed'],
      { end: 'upstream-broke', repaired: true },
    ],
  ])('%s', async (_name, items, frames, summary) => {
    const result = await run(items);
    expect(result.frames).toEqual(frames);
    expect(result.summary).toMatchObject(summary);
  });

  it('shows every event it sent, the closing one included, to onEvent', async () => {
    const { seen } = await run([
      { kind: 'events', events: [event('a')] },
      { kind: 'end', end: 'idle', closing: event('response.failed'), failure: null },
    ]);
    expect(seen).toEqual(['a', 'response.failed']);
  });

  it('a client that goes away cancels the source and ends client-gone', async () => {
    const client = new AbortController();
    const source = itemSource([{ kind: 'events', events: [event('response.created')] }]);
    const frames: string[] = [];
    const written = writeFrames(source, {
      send: (text) => {
        frames.push(text);
        client.abort();
      },
      heartbeat: HEARTBEAT,
      signal: client.signal,
      onEvent: () => undefined,
    });
    expect(await written).toMatchObject({ end: 'client-gone' });
    expect(source.cancelled()).toBe(true);
    expect(frames).toHaveLength(1);
  });

  // As the real source does: the read the cancel breaks reports "the upstream stream broke (Stream was cancelled.)".
  it('the read its own cancel broke is no failure: a client that left mid-turn is logged as over HTTP', async () => {
    const client = new AbortController();
    let cancelled = false;
    const broke = { code: 'server_error', message: 'codex-edge: the upstream stream broke (Stream was cancelled.)' };
    let resolve: (item: SourceItem) => void = () => undefined;
    const source: EventSource = {
      next: () => new Promise<SourceItem>((done) => (resolve = done)),
      cancel: () => {
        cancelled = true;
        resolve({ kind: 'end', end: 'upstream-broke', closing: dataEvent('response.failed', { type: 'response.failed' }), failure: broke.message });
      },
      report: () => (cancelled ? { usage: null, failed: true, failure: broke } : { usage: null, failed: false, failure: null }),
    };
    const written = writeFrames(source, { send: () => undefined, heartbeat: HEARTBEAT, signal: client.signal, onEvent: () => undefined });
    client.abort();
    expect(await written).toMatchObject({ end: 'client-gone', failed: false, failure: null });
  });
});
