/**
 * The gzip-bomb fault: what arrives on the wire (read raw: a few hundred KiB with
 * Content-Encoding: gzip) and what it expands to (counted while streaming through
 * gunzip, never held; with fetch, which decompresses, only a bounded prefix is read).
 */
import { createGunzip, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { rawRequest } from './raw-client';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim.close();
});

const MiB = 1024 * 1024;
const STREAM = { model: 'gpt-test', input: 'hi', stream: true };

/** Gunzips `compressed` as a stream, keeping only its length and its first and last 64 bytes. */
function expansion(compressed: Buffer): Promise<{ length: number; head: string; tail: string }> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip();
    let length = 0;
    let head = Buffer.alloc(0);
    let tail = Buffer.alloc(0);
    gunzip.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (head.length < 64) head = Buffer.concat([head, chunk.subarray(0, 64 - head.length)]);
      tail = Buffer.concat([tail, chunk.subarray(-64)]).subarray(-64);
    });
    gunzip.once('end', () => resolve({ length, head: head.toString(), tail: tail.toString() }));
    gunzip.once('error', reject);
    gunzip.end(compressed);
  });
}

describe('gzip-bomb', () => {
  it('512 MiB of JSON in a few hundred KiB on the wire', { timeout: 60_000 }, async () => {
    const expandedBytes = 512 * MiB;
    const started = performance.now();
    sim.enqueue({ kind: 'gzip-bomb', expandedBytes });
    const { status, headers, body, received, ended } = await rawRequest(`${sim.baseUrl}/responses`, { body: STREAM });
    const firstMs = performance.now() - started;
    expect({ status, ended, encoding: headers['content-encoding'], type: headers['content-type'] }).toEqual({
      status: 200,
      ended: true,
      encoding: 'gzip',
      type: 'application/json',
    });
    expect(received).toBe(Number(headers['content-length']));
    expect(received).toBeGreaterThan(100 * 1024);
    expect(received).toBeLessThan(768 * 1024);
    const expanded = await expansion(body);
    expect(expanded.length).toBe(expandedBytes);
    expect(expanded.head).toMatch(/^\{"id":"resp_bomb","object":"response",/);
    expect(expanded.tail).toMatch(/ +"\}\]\}\]\}$/);

    // Cached: the same size again is the same bytes, without compressing again.
    sim.enqueue({ kind: 'gzip-bomb', expandedBytes });
    const again = performance.now();
    const second = await rawRequest(`${sim.baseUrl}/responses`, { body: STREAM });
    expect(Buffer.compare(second.body, body)).toBe(0);
    expect(performance.now() - again).toBeLessThan(Math.max(200, firstMs / 2));
    console.info(`gzip-bomb 512 MiB: ${received} bytes compressed (${(received / 1024).toFixed(1)} KiB), first answer ${firstMs.toFixed(0)} ms`);
  });

  it('read through fetch, which decompresses: only a bounded prefix is read', { timeout: 60_000 }, async () => {
    sim.enqueue({ kind: 'gzip-bomb', status: 500, expandedBytes: 256 * MiB });
    const response = await fetch(`${sim.baseUrl}/responses`, { method: 'POST', body: JSON.stringify(STREAM) });
    expect(response.status).toBe(500);
    const body = response.body;
    if (body === null) throw new Error('no body');
    const reader = body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    let prefix = '';
    while (prefix.length < MiB) {
      const { value, done } = await reader.read();
      if (done) break;
      prefix += Buffer.from(value).toString();
    }
    await reader.cancel();
    expect(prefix).toMatch(/^\{"error":\{"message":" {1000}/);
  });

  it('SSE-ish for an event-stream content type, an error for a status >= 400; sizes are exact', async () => {
    sim.enqueue(
      { kind: 'gzip-bomb', expandedBytes: MiB, contentType: 'text/event-stream' },
      { kind: 'gzip-bomb', status: 502, expandedBytes: 100_000 },
      { kind: 'gzip-bomb', expandedBytes: 10 },
    );
    const sse = await rawRequest(`${sim.baseUrl}/responses`, { body: STREAM });
    expect(sse.headers).toMatchObject({ 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
    const text = gunzipSync(sse.body).toString();
    expect(text).toHaveLength(MiB);
    expect(text).toMatch(/^event: response\.output_text\.delta\ndata: \{"type":"response\.output_text\.delta",.*"delta":" +","logprobs":\[\]\}\n\n$/);

    const error = await rawRequest(`${sim.baseUrl}/responses`, { body: STREAM });
    expect(error.status).toBe(502);
    const json = gunzipSync(error.body).toString();
    expect(json).toHaveLength(100_000);
    expect(JSON.parse(json)).toMatchObject({ error: { type: 'server_error', message: expect.stringMatching(/^ +$/) } });

    expect(gunzipSync((await rawRequest(`${sim.baseUrl}/responses`, { body: STREAM })).body).toString()).toBe('{"id":"res');
  });

  it('rejects a size above the cap', () => {
    expect(() => sim.enqueue({ kind: 'gzip-bomb', expandedBytes: 2 ** 34 })).toThrow(/expandedBytes/);
  });
});
