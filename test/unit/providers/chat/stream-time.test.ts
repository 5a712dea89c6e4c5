/**
 * Chat stream → Responses stream, on fake timers: a stream that breaks, a provider that goes
 * silent (heartbeats, then the idle cap), an error chunk from one that stays open.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IDLE_MS, scriptedUpstream } from '../../stream/scripted-upstream';
import { chunk } from './responses-rules';
import { drain, eventsOf, translated } from './translated-stream';

describe('with time', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a stream that breaks mid-way ends with response.failed server_error naming the cause', async () => {
    const upstream = scriptedUpstream();
    const source = translated(upstream, chunk({ content: 'Hel' }));
    expect(eventsOf([await source.next(), await source.next()]).map((event) => event['type'])).toContain('response.output_text.delta');
    upstream.fail(new Error('Network connection lost.'));
    const rest = await drain(source);
    const events = eventsOf(rest);
    expect(events.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { error: { code: 'server_error', message: expect.stringContaining('the upstream stream broke (Network connection lost.)') as string } },
    });
    expect(rest.at(-1)).toMatchObject({ kind: 'end', end: 'upstream-broke' });
  });

  it('a silent provider gets heartbeats, then response.failed at the idle cap', async () => {
    const upstream = scriptedUpstream();
    const source = translated(upstream, chunk({ content: 'Hel' }));
    await source.next();
    await source.next();
    const pending = drain(source);
    await vi.advanceTimersByTimeAsync(IDLE_MS + 10);
    const items = await pending;
    expect(items.filter((item) => item.kind === 'heartbeat').length).toBeGreaterThanOrEqual(3);
    expect(eventsOf(items).at(-1)).toMatchObject({
      type: 'response.failed',
      response: { error: { code: 'server_error', message: expect.stringContaining(`sent nothing for ${IDLE_MS} ms`) as string } },
    });
    expect(upstream.cancelled()).toBe(true);
  });

  it('an error chunk (its error key not first) from a provider that stays open: response.failed at once, no heartbeat, the upstream cancelled', async () => {
    const upstream = scriptedUpstream();
    const error = { id: 'chatcmpl-1', object: 'chat.completion.chunk', error: { message: 'overloaded' } };
    const source = translated(upstream, chunk({ content: 'Hel' }) + `data: ${JSON.stringify(error)}\n\n`);
    const pending = drain(source);
    await vi.advanceTimersByTimeAsync(IDLE_MS + 10);
    const items = await pending;
    expect(items.filter((item) => item.kind === 'heartbeat')).toEqual([]);
    expect(eventsOf(items).at(-1)).toMatchObject({ type: 'response.failed', response: { error: { code: 'server_error', message: 'overloaded' } } });
    expect(items.at(-1)).toMatchObject({ kind: 'end', end: 'terminal' });
    expect(upstream.cancelled()).toBe(true);
  });

  it('chunks that translate to nothing still let a heartbeat through', async () => {
    const upstream = scriptedUpstream();
    const source = translated(upstream, chunk({ content: 'Hel' }));
    await source.next();
    await source.next();
    const pending = source.next();
    for (let i = 0; i < 4; i += 1) {
      await vi.advanceTimersByTimeAsync(300);
      upstream.send(': keep-alive\n\n' + chunk({ content: '' }));
    }
    await vi.advanceTimersByTimeAsync(10);
    expect(await pending).toEqual({ kind: 'heartbeat' });
  });
});
