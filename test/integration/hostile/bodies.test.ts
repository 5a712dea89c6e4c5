/**
 * Hostile upstream bodies through the real Worker: huge, compressed past reason, or pointing
 * elsewhere. What must hold: the client gets one clear, bounded answer within seconds (never
 * the expansion, never the redirect), the gateway reads no more than its caps, and the log
 * line stays small and holds no key. Memory under the same answers: test/e2e/memory.test.ts.
 */
import { beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { CODEX_HEADERS, sim } from '../support';
import { MESSAGE_MAX_CHARS, SDK_HEADERS, chatTurn, dataOf, errorIn, expectSafeLog, hostileCall, requestLine, turn, typeOf } from './support';

const MiB = 1024 * 1024;
const BOMB_BYTES = 512 * MiB;
/** Small caps, so that a body over them costs the test little. */
const SMALL_CAPS: Partial<Cloudflare.Env> = { MAX_UPSTREAM_JSON_BYTES: String(64 * 1024), MAX_SSE_EVENT_BYTES: String(64 * 1024) };

beforeAll(async () => {
  // The simulator compresses each bomb once (1–2 s) and answers only then: done here, not in what is timed.
  await sim.reset();
  for (const status of [200, 500]) {
    await sim.faults({ kind: 'gzip-bomb', status, expandedBytes: BOMB_BYTES });
    const answer = await fetch(`${inject('upstreamUrl')}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model":"gpt-test"}',
    });
    await answer.body?.cancel();
  }
}, 60_000);

beforeEach(() => sim.reset());

const text = (response: Response): Promise<string> => response.text();

describe('a huge error message', () => {
  it('a 500 carrying an 8 MB message: the client reads it clipped to 2 KiB, and the log line stays small', async () => {
    await sim.faults({ kind: 'huge', status: 500, bytes: 8_000_000, shape: 'json-message' });
    const { response, read: body, ms, lines } = await hostileCall(turn(SDK_HEADERS), { RETRY_MAX_ATTEMPTS: '1' }, text);
    expect(response.status).toBe(502);
    const error = errorIn(body);
    expect(error.message).toMatch(/^upstream 127\.0\.0\.1:\d+ answered 500 \(1 attempt\): All work and no play/);
    expect(error.message).toMatch(/… \(\d+ more characters\)$/);
    expect(error.message.length).toBeLessThanOrEqual(MESSAGE_MAX_CHARS);
    expect(body.length).toBeLessThan(4 * 1024);
    expect(ms).toBeLessThan(5_000);
    expectSafeLog(lines);
  });
});

describe('gzip bombs (512 MiB once decompressed)', () => {
  it('on an error body: a 502 naming the upstream status within seconds, having read 16 KiB of it', async () => {
    await sim.faults({ kind: 'gzip-bomb', status: 500, expandedBytes: BOMB_BYTES });
    const { response, read: body, ms, lines } = await hostileCall(turn(SDK_HEADERS), { RETRY_MAX_ATTEMPTS: '1' }, text);
    expect(response.status).toBe(502);
    expect(response.headers.get('x-should-retry')).toBe('true');
    expect(errorIn(body).message).toMatch(/^upstream 127\.0\.0\.1:\d+ answered 500 \(1 attempt\)/);
    expect(body.length).toBeLessThan(4 * 1024);
    expect(ms).toBeLessThan(5_000);
    expectSafeLog(lines);
  });

  it.each([
    ['the openai SDK', 502, SDK_HEADERS],
    ['Codex', 400, CODEX_HEADERS],
  ] as const)('on a 200 JSON answer: %s is told upstream_response_too_large (%i), final, within seconds', async (_client, status, headers) => {
    await sim.faults({ kind: 'gzip-bomb', expandedBytes: BOMB_BYTES });
    const { response, read: body, ms, lines } = await hostileCall(turn(headers), {}, text);
    expect(response.status).toBe(status);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect(errorIn(body)).toMatchObject({ code: 'upstream_response_too_large' });
    expect(errorIn(body).message).toContain(`larger than ${16 * MiB} bytes (MAX_UPSTREAM_JSON_BYTES)`);
    expect(ms).toBeLessThan(5_000);
    expect(await sim.requests()).toHaveLength(1);
    expectSafeLog(lines);
  });
});

describe('bodies over the caps', () => {
  it('a 200 JSON answer over MAX_UPSTREAM_JSON_BYTES: 502 upstream_response_too_large, not retried', async () => {
    await sim.faults({ kind: 'huge', bytes: 4 * MiB, shape: 'json-message' });
    const { response, read: body, lines } = await hostileCall(turn(SDK_HEADERS), SMALL_CAPS, text);
    expect(response.status).toBe(502);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect(response.headers.get('retry-after')).toBeNull();
    expect(errorIn(body)).toMatchObject({ code: 'upstream_response_too_large' });
    expect(errorIn(body).message).toMatch(
      /^codex-edge: upstream 127\.0\.0\.1:\d+ sent a JSON answer larger than 65536 bytes \(MAX_UPSTREAM_JSON_BYTES\); refused$/,
    );
    expect(await sim.requests()).toHaveLength(1);
    expect(requestLine(lines)).toMatchObject({ status: 502, error_code: 'upstream_response_too_large' });
    expectSafeLog(lines);
  });

  it('an SSE event that never ends, past MAX_SSE_EVENT_BYTES: Codex gets response.failed naming the setting, and none of the event', async () => {
    await sim.faults({ kind: 'huge', bytes: 4 * MiB, shape: 'sse-event' });
    const { response, read: body, lines } = await hostileCall(turn(CODEX_HEADERS, { stream: true }), SMALL_CAPS, text);
    expect(response.status).toBe(200);
    const events = dataOf(body).filter((event) => typeOf(event) !== 'codex_edge.heartbeat');
    expect(events.map(typeOf)).toEqual(['response.failed']);
    expect(JSON.stringify(events[0])).toContain('larger than 65536 bytes (MAX_SSE_EVENT_BYTES)');
    // A code Codex stops on: sent again, the request gets the same event (it retried it five times).
    expect(events[0]).toMatchObject({ response: { error: { code: 'invalid_prompt' } } });
    expect(body).not.toContain('All work and no play');
    expect(requestLine(lines)).toMatchObject({ stream_end: 'too-large' });
    expectSafeLog(lines);
  });

  it('the same on chat for the openai SDK: an error chunk naming the setting', async () => {
    await sim.faults({ kind: 'huge', bytes: 4 * MiB, shape: 'sse-event' });
    const { read: body, lines } = await hostileCall(chatTurn(SDK_HEADERS, { stream: true }), SMALL_CAPS, text);
    expect(dataOf(body)).toMatchObject([{ error: { code: 'server_error', message: expect.stringContaining('MAX_SSE_EVENT_BYTES') as unknown } }]);
    expectSafeLog(lines);
  });
});

describe('a redirect', () => {
  const location = 'https://elsewhere.example:8443/v1/responses?api_key=sk-elsewhere-0123456789abcdef';

  it.each([
    ['the openai SDK', 502, SDK_HEADERS],
    ['Codex', 400, CODEX_HEADERS],
  ] as const)('a 307: %s gets %i upstream_redirect naming where it pointed, no Location, not followed', async (_client, status, headers) => {
    await sim.faults({ kind: 'redirect', status: 307, location });
    const { response, read: body, lines } = await hostileCall(turn(headers), {}, text);
    expect(response.status).toBe(status);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('x-should-retry')).toBe('false');
    const error = errorIn(body);
    expect(error.code).toBe('upstream_redirect');
    expect(error.message).toMatch(/^codex-edge: upstream 127\.0\.0\.1:\d+ redirected \(307\) to elsewhere\.example:8443; not followed/);
    expect(body).not.toContain('api_key');
    expect(await sim.requests()).toHaveLength(1);
    expectSafeLog(lines);
    expect(lines.join('\n')).not.toContain('sk-elsewhere');
  });
});
