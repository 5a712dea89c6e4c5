/** Known secrets in bodies the gateway passes on without parsing: a whole JSON answer, and a raw body relayed chunk by chunk. */
import { describe, expect, it, vi } from 'vitest';
import { concatBytes } from '../../../src/core/encoding';
import { REDACTED, Redactor } from '../../../src/core/redact';
import { MAX_HELD_BYTES, redactedBytes, withRedaction } from '../../../src/stream/redact-body';

const KEY = 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z';
const redactor = Redactor.patterns.with([KEY]);
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function relayed(chunks: readonly Uint8Array[]): Promise<{ bytes: Uint8Array }> {
  const out = await new Response(withRedaction(streamOf(chunks), redactor)).arrayBuffer();
  return { bytes: new Uint8Array(out) };
}

describe('redactedBytes: a whole body', () => {
  it('is the same bytes when it holds no secret (not even copied)', () => {
    const bytes = encode('{"output":"a Bearer token is a kind of key"}');
    expect(redactedBytes(bytes, redactor)).toBe(bytes);
  });

  it('has a JSON-escaped secret redacted where it stands, escapes and all (the body stays JSON)', () => {
    const escaped = `{"id":"r1","output_text":"\\u0073${KEY.slice(1).replace(/p/g, '\\u0070')}","note":"caf\\u00e9 \\n"}`;
    const out = new TextDecoder().decode(redactedBytes(encode(escaped), redactor));
    expect(JSON.parse(out)).toEqual({ id: 'r1', output_text: REDACTED, note: 'café \n' });
  });

  it('has the secret redacted, the rest (non-ASCII included) unchanged', () => {
    const out = new TextDecoder().decode(redactedBytes(encode(`{"error":{"message":"bad key ${KEY} — réessayez"}}`), redactor));
    expect(out).toBe(`{"error":{"message":"bad key ${REDACTED} — réessayez"}}`);
  });
});

describe('withRedaction: a raw body relayed as it comes', () => {
  it('passes binary bytes through exactly', async () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) & 0xff);
    const { bytes: out } = await relayed([bytes.subarray(0, 30_000), bytes.subarray(30_000)]);
    expect(out.byteLength).toBe(bytes.byteLength);
    expect(out.every((byte, i) => byte === bytes[i])).toBe(true);
  });

  it.each([1, 7, 100, 4096])(
    'keeps every byte value around a secret exactly (0x80–0x9f, which windows-1252 decodes above 0xff, included), %i-byte reads',
    async (size) => {
      const every = Uint8Array.from({ length: 256 }, (_, i) => i);
      const body = concatBytes([every, encode(` ${KEY} `), every], 512 + KEY.length + 2);
      const chunks = Array.from({ length: Math.ceil(body.byteLength / size) }, (_, i) => body.subarray(i * size, (i + 1) * size));
      const { bytes } = await relayed(chunks);
      expect([...bytes]).toEqual([...every, ...encode(` ${REDACTED} `), ...every]);
    },
  );

  it('redacts a secret split across chunks, at every split point', async () => {
    const text = `<p>Invalid API key: ${KEY}</p>`;
    for (let cut = 1; cut < text.length; cut += 1) {
      const { bytes } = await relayed([encode(text.slice(0, cut)), encode(text.slice(cut))]);
      expect(new TextDecoder().decode(bytes), `split at ${cut}`).toBe(`<p>Invalid API key: ${REDACTED}</p>`);
    }
  });

  it('redacts a hex key echoed upper-cased (its letters are all of one case: that is the key), at every split point', async () => {
    const hex = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
    const text = `<p>Invalid API key: ${hex.toUpperCase()}</p>`;
    for (let cut = 1; cut < text.length; cut += 1) {
      const out = await new Response(withRedaction(streamOf([encode(text.slice(0, cut)), encode(text.slice(cut))]), Redactor.patterns.with([hex]))).text();
      expect(out, `split at ${cut}`).toBe(`<p>Invalid API key: ${REDACTED}</p>`);
    }
  });

  it.each([
    ['every character \\u-escaped', KEY.replace(/./g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)],
    ['its first character \\u-escaped', `\\u0073${KEY.slice(1)}`],
  ])('redacts a key %s in a JSON string, at every split point (the client parser would rebuild it)', async (_how, escaped) => {
    const text = `{"error":{"message":"key ${escaped} rejected"}}`;
    for (let cut = 1; cut < text.length; cut += 1) {
      const { bytes } = await relayed([encode(text.slice(0, cut)), encode(text.slice(cut))]);
      expect(new TextDecoder().decode(bytes), `split at ${cut}`).toBe(`{"error":{"message":"key ${REDACTED} rejected"}}`);
    }
  });

  it('redacts a secret trickled one byte per chunk (what came before it has gone on already)', async () => {
    const text = `key=${KEY}; bye`;
    const { bytes } = await relayed([...encode(text)].map((byte) => Uint8Array.of(byte)));
    expect(new TextDecoder().decode(bytes)).toBe(`key=${REDACTED}; bye`);
  });

  it.each([1, 4, 7, 8, 20, KEY.length - 1])(
    'a secret inside a token longer than MAX_HELD_BYTES, the limit %i characters into it: the token is redacted whole, as in the body read at once',
    async (into) => {
      const body = `{"error":{"message":"${'x'.repeat(1000)}${KEY}${'B'.repeat(MAX_HELD_BYTES - (KEY.length - into))}`;
      const chunks = [body, 'B'.repeat(100), `BB"}} and ${KEY.slice(0, 3)} more`];
      const { bytes } = await relayed(chunks.map(encode));
      const out = new TextDecoder().decode(bytes);
      expect(out).toBe(new TextDecoder().decode(redactedBytes(encode(chunks.join('')), redactor)));
      expect(out).toBe(`{"error":{"message":"${REDACTED}"}} and sk- more`);
    },
  );

  // About 2 s (65,000 reads); a loaded machine may take several times that, a rescan per read took minutes.
  it(
    'redacts a long token that holds a secret, trickled one byte per read, in one pass (each read rescanned all that was held: minutes)',
    { timeout: 30_000 },
    async () => {
      const text = `key ${KEY}${'A'.repeat(MAX_HELD_BYTES - 100)} bye`;
      const { bytes } = await relayed([...encode(text)].map((byte) => Uint8Array.of(byte)));
      expect(new TextDecoder().decode(bytes)).toBe(`key ${REDACTED} bye`);
    },
  );

  it.each([
    ['\\u0041 escapes', '\\u0041'],
    ['\\/ escapes', '\\/'],
  ])('searches a token that holds a secret, grown by %s a read (each could end it, none does), a bounded number of times', async (_name, piece) => {
    const searched = vi.spyOn(redactor, 'unsettledFrom');
    const chunks = [`key ${KEY}`, ...Array<string>(4000).fill(piece), ' bye'];
    try {
      const { bytes } = await relayed(chunks.map(encode));
      expect(new TextDecoder().decode(bytes)).toBe(`key ${REDACTED} bye`);
      // Each read searched all that was held again: 4,000 reads, 48 million characters, seconds of CPU.
      const characters = searched.mock.calls.reduce((sum, [text]) => sum + text.length, 0);
      expect(characters).toBeLessThan(32 * chunks.join('').length);
    } finally {
      searched.mockRestore();
    }
  });

  it('redacts a secret written wholly in JSON escapes, trickled one byte per read, whole (none of its escapes pass after the marker)', async () => {
    const escaped = Array.from(KEY, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const { bytes } = await relayed([...encode(`{"message":"key ${escaped} bye"}`)].map((byte) => Uint8Array.of(byte)));
    expect(new TextDecoder().decode(bytes)).toBe(`{"message":"key ${REDACTED} bye"}`);
  });

  it('holds back at most MAX_HELD_BYTES of an endless token', async () => {
    const token = encode('A'.repeat(3 * MAX_HELD_BYTES));
    const reader = withRedaction(streamOf([encode(KEY.slice(0, 8)), token, token]), redactor).getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    expect(first.value?.byteLength).toBeGreaterThan(0);
    await reader.cancel();
  });
});

describe('redactedBytes: a body larger than one checked slice', () => {
  it('finds a JSON-escaped secret that straddles two slices', () => {
    const before = 'x'.repeat(1024 * 1024 - 20);
    const escaped = KEY.replace(/./g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const out = new TextDecoder().decode(redactedBytes(encode(`${before} ${escaped} end`), redactor));
    expect(out.endsWith(` ${REDACTED} end`)).toBe(true);
  });

  it('finds a secret that straddles two slices', () => {
    const before = 'x'.repeat(1024 * 1024 - 5);
    const out = new TextDecoder().decode(redactedBytes(encode(`${before} ${KEY} end`), redactor));
    expect(out.endsWith(` ${REDACTED} end`)).toBe(true);
  });
});
