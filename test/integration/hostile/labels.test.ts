/**
 * What a hostile upstream says its body is, through the real Worker: a body in a content-encoding
 * workerd does not decode (it decodes gzip and br) is refused before a byte of it reaches the
 * client, which would decode it and read what it holds in clear; an error body in one is named,
 * not read. A raw body is searched for the key whatever its content type says, and one that holds
 * none goes out the same bytes. Every answer is read as its client reads it (support.ts: clientText).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { sim } from '../support';
import { SDK_HEADERS, UPSTREAM_KEY, clientText, errorIn, expectSafeLog, hostileCall, turn } from './support';

beforeEach(() => sim.reset());

const refusal = (encoding: string): RegExp =>
  new RegExp(`^codex-edge: upstream 127\\.0\\.0\\.1:\\d+ sent its answer in content-encoding "${encoding}", which the gateway does not decode`);

describe('a 2xx body in an encoding workerd leaves encoded', () => {
  it.each(['deflate', 'zstd', 'compress', 'GZIP', 'gzip, gzip', 'made-up'])(
    '%s on a raw body: a final 502 upstream_unsupported_encoding, nothing of the body, one request',
    async (encoding) => {
      await sim.faults({ kind: 'echo-key', where: 'html', status: 200, contentEncoding: encoding });
      const { response, read: body, lines } = await hostileCall(turn(SDK_HEADERS), {}, clientText);
      expect(body).not.toContain(UPSTREAM_KEY);
      expect(response.status).toBe(502);
      expect(response.headers.get('content-encoding')).toBeNull();
      expect(response.headers.get('x-should-retry')).toBe('false');
      expect(errorIn(body).code).toBe('upstream_unsupported_encoding');
      expect(errorIn(body).message).toMatch(refusal(encoding));
      expect(await sim.requests()).toHaveLength(1);
      expectSafeLog(lines);
    },
  );

  it.each([
    ['a JSON answer', 'message', {}],
    ['a stream', 'stream-event', { stream: true }],
  ] as const)('deflate on %s: the same 502, not bytes that read as garbage', async (_what, where, fields) => {
    await sim.faults({ kind: 'echo-key', where, status: 200, contentEncoding: 'deflate' });
    const { response, read: body, lines } = await hostileCall(turn(SDK_HEADERS, fields), {}, clientText);
    expect(body).not.toContain(UPSTREAM_KEY);
    expect(response.status).toBe(502);
    expect(errorIn(body)).toMatchObject({ code: 'upstream_unsupported_encoding', message: expect.stringMatching(refusal('deflate')) as unknown });
    expectSafeLog(lines);
  });

  it('deflate on an error body: its status, and the message names the encoding (the bytes are not read as a message)', async () => {
    await sim.faults({ kind: 'echo-key', where: 'message', status: 401, contentEncoding: 'deflate' });
    const { response, read: body, lines } = await hostileCall(turn(SDK_HEADERS), {}, clientText);
    expect(response.status).toBe(401);
    expect(errorIn(body).message).toMatch(
      /^upstream 127\.0\.0\.1:\d+ answered 401 \(1 attempt\): a body in content-encoding "deflate", which the gateway does not read$/,
    );
    expectSafeLog(lines);
  });

  it.each(['gzip', 'br'])('%s, which workerd decodes: relayed in it, the key redacted', async (encoding) => {
    await sim.faults({ kind: 'echo-key', where: 'html', status: 200, contentEncoding: encoding });
    const { response, read: body, lines } = await hostileCall(turn(SDK_HEADERS), {}, clientText);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe(encoding);
    expect(body).toContain('Invalid API key: [redacted]');
    expect(body).not.toContain(UPSTREAM_KEY);
    expectSafeLog(lines);
  });
});

describe('a raw 2xx body under any content type', () => {
  it.each(['application/octet-stream', 'application/yaml', 'application/pdf', 'image/png', 'audio/mpeg', 'multipart/form-data; boundary=x', 'font/woff2'])(
    '%s echoing the key: relayed with the key redacted, under its own type',
    async (contentType) => {
      await sim.faults({ kind: 'echo-key', where: 'html', status: 200, contentType });
      const { response, read: body, lines } = await hostileCall(turn(SDK_HEADERS), {}, clientText);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(contentType);
      expect(response.headers.get('content-length')).toBeNull();
      expect(body).toContain('Invalid API key: [redacted]</p>');
      expect(body).not.toContain(UPSTREAM_KEY);
      expectSafeLog(lines);
    },
  );

  it('a binary body that holds no secret (every byte value, over and over): the same bytes', async () => {
    const size = 3 * 1024 * 1024 + 5;
    await sim.faults({ kind: 'huge', bytes: size, shape: 'raw' });
    const { response, read: bytes, lines } = await hostileCall(turn(SDK_HEADERS), {}, async (answer) => new Uint8Array(await answer.arrayBuffer()), true);
    expect(response.status).toBe(200);
    expect(bytes.byteLength).toBe(size);
    expect(bytes.findIndex((byte, i) => byte !== (i & 0xff))).toBe(-1);
    expectSafeLog(lines);
  });
});
