/**
 * The byte relay's redaction (stream/chunk-source.ts): a known key, however it is echoed and
 * wherever the chunks are cut, never reaches the client; the terminal event is redacted by pattern.
 */
import { describe, expect, it } from 'vitest';
import { useFakeClock } from '../fake-clock';
import { chunksOver, COMPLETED, CREATED, delta, drain, HEX_SECRET, responsesEvent, SECRET, transcript } from './chunk-relay';
import { encode, scriptedUpstream } from './scripted-upstream';

useFakeClock();

describe('redaction', () => {
  const echoes: readonly (readonly [string, string])[] = [
    ['raw', SECRET],
    ['URL-encoded', encodeURIComponent(SECRET)],
    ['base64', btoa(`user:${SECRET}`)],
    ['upper-cased (a hex key)', HEX_SECRET.toUpperCase()],
    ['JSON-escaped, every character', SECRET.replace(/./g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)],
    ['JSON-escaped, its first character', `\\u0073${SECRET.slice(1)}`],
  ];

  it.each(echoes)('a key echoed %s, whatever the chunk boundaries, never reaches the client', async (_how, echo) => {
    const body = encode(`${delta(1, `key ${echo} rejected`)}${COMPLETED}`);
    for (const size of [1, 5, 9, 33]) {
      const upstream = scriptedUpstream();
      for (let i = size; i < body.byteLength; i += size) upstream.sendBytes(body.slice(i, i + size));
      upstream.close();
      const text = transcript(await drain(chunksOver(upstream, 'responses', body.slice(0, size))));
      expect(text).not.toContain(echo.slice(0, 12));
      expect(text).not.toContain(SECRET.slice(-12));
      // What a client's JSON parser reads in each event.
      const data = [...text.matchAll(/^data: (.*)$/gm)].map((line) => JSON.stringify(JSON.parse(line[1] ?? '') as unknown));
      expect(data.join('\n')).not.toContain(SECRET.slice(1, 13));
      expect(text).toContain('[redacted]');
      expect(text).toContain('response.completed');
    }
  });

  it('the terminal event is redacted by pattern too (a key the gateway was never told)', async () => {
    const upstream = scriptedUpstream();
    const stranger = 'sk-live-Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2';
    upstream.close();
    const text = transcript(
      await drain(chunksOver(upstream, 'responses', responsesEvent('response.failed', 3, `,"response":{"error":{"message":"${stranger}"}}`))),
    );
    expect(text).not.toContain(stranger);
  });

  it.each([
    ['with the events before it in the same read', 'héllo'],
    ['after events of one byte a character', 'hello'],
  ])('the terminal event %s: only it is rewritten, what came before goes out as it came', async (_case, word) => {
    const stranger = 'sk-live-Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2';
    const before = `${CREATED}${delta(1, word)}${delta(2, 'sk-not-a-key')}`;
    const upstream = scriptedUpstream();
    upstream.close();
    const items = await drain(
      chunksOver(upstream, 'responses', `${before}${responsesEvent('response.failed', 3, `,"response":{"error":{"message":"${stranger}"}}`)}`),
    );
    const text = transcript(items);
    expect(text.startsWith(before)).toBe(true);
    expect(text).not.toContain(stranger);
    expect(text).toMatch(/"type":"response\.failed".*\[redacted\]/);
    expect(items.at(-1)).toMatchObject({ kind: 'end', end: 'terminal', closing: null });
  });
});
