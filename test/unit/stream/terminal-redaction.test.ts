/**
 * What of a stream's terminal event is redacted, in both relays (stream/chunk-source.ts bytes,
 * stream/source.ts events): a known secret anywhere, by value; key-like patterns only in a
 * terminal event that reports a failure (its message is the upstream's). A completed answer is
 * the model's output: what looks like a key in it goes out as it went out in the deltas.
 */
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../src/core/redact';
import { upstreamChunks } from '../../../src/stream/chunk-source';
import { upstreamEvents } from '../../../src/stream/source';
import { itemsToEnd, relayOptions, scriptedUpstream } from './scripted-upstream';

const SECRET = 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z';
const STRANGER = 'sk-live-Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2';

const event = (type: string, sequence: number, extra: string): string => `event: ${type}\ndata: {"type":"${type}","sequence_number":${sequence}${extra}}\n\n`;
const delta = (text: string): string => event('response.output_text.delta', 1, `,"delta":"${text}"`);
const completed = (text: string): string => event('response.completed', 2, `,"response":{"id":"resp_1","output_text":"${text}"}`);
const failed = (message: string): string => event('response.failed', 2, `,"response":{"id":"resp_1","error":{"message":"${message}"}}`);

/** What the client reads of a whole stream, through each relay. */
const relays = {
  bytes: async (body: string): Promise<string> => {
    const upstream = scriptedUpstream();
    upstream.close();
    const items = await itemsToEnd(upstreamChunks(relayOptions(upstream, 'responses', body, { redactor: Redactor.patterns.with([SECRET]) })));
    return items.map((item) => (item.kind === 'chunks' ? Buffer.concat(item.chunks).toString('utf8') : '')).join('');
  },
  events: async (body: string): Promise<string> => {
    const upstream = scriptedUpstream();
    upstream.close();
    const items = await itemsToEnd(upstreamEvents(relayOptions(upstream, 'responses', body, { redactor: Redactor.patterns.with([SECRET]) })));
    return items.map((item) => (item.kind === 'events' ? item.events.map((sent) => sent.text).join('') : '')).join('');
  },
};

describe.each(Object.entries(relays))('the terminal event through the %s relay', (_relay, relay) => {
  it('of a completed answer: a key-like string the model wrote goes out as it did in the deltas', async () => {
    const text = await relay(`${delta(`const key = '${STRANGER}'`)}${completed(`const key = '${STRANGER}'`)}`);
    expect(text.split(STRANGER)).toHaveLength(3);
  });

  it('of a completed answer: a known secret is still redacted, everywhere', async () => {
    const text = await relay(`${delta(SECRET)}${completed(SECRET)}`);
    expect(text).not.toContain(SECRET.slice(0, 12));
    expect(text.split('[redacted]')).toHaveLength(3);
  });

  it('of a failure: an unknown key in the upstream message is redacted by pattern', async () => {
    const text = await relay(`${delta('hi')}${failed(`bad key ${STRANGER}`)}`);
    expect(text).not.toContain(STRANGER);
    expect(text).toContain('bad key sk-[redacted]');
  });
});
