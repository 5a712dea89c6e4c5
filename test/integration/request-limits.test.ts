/**
 * An oversized request line or header block is refused at the gateway, before auth or routing,
 * and never forwarded: 414 uri_too_long, 431 request_header_fields_too_large, in the one error
 * shape, final (Codex gets 400); exactly at the limits a request goes through.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_HEADER_BYTES, MAX_URL_BYTES } from '../../src/http/limits';
import { CODEX_HEADERS, GATEWAY, callGateway, captureLogs, errorOf, post, sim } from './support';

beforeEach(() => sim.reset());

const turn = { model: 'gpt-test', input: 'hi' };

/** A path with a query that makes the request target exactly `length` bytes long. */
function pathOfLength(path: string, length: number): string {
  const prefix = `${path}?pad=`;
  return `${prefix}${'a'.repeat(length - prefix.length)}`;
}

/** Headers that, added to post()'s own, make the header block `extra` bytes larger. */
function padding(extra: number): Record<string, string> {
  const name = 'x-padding';
  return { [name]: 'h'.repeat(extra - name.length - 4) };
}

const baseHeaderBytes = (headers: Record<string, string> = {}): number =>
  [...post('/v1/responses', turn, headers).headers].reduce((total, [name, value]) => total + name.length + value.length + 4, 0);

describe('the request line', () => {
  it(`a URL longer than ${MAX_URL_BYTES} bytes → 414 uri_too_long, final, nothing forwarded, one log line`, async () => {
    const { result: response, lines } = await captureLogs(async () => callGateway(post(pathOfLength('/v1/responses', MAX_URL_BYTES + 1), turn)));
    expect(response.status).toBe(414);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect(response.headers.get('x-edge-request-id')).toMatch(/^req_edge_/);
    const error = await errorOf(response);
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'uri_too_long', param: null });
    expect(error.message).toBe(`codex-edge: the request URL is ${MAX_URL_BYTES + 1} bytes long; at most ${MAX_URL_BYTES} are accepted`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ status: 414, error_code: 'uri_too_long' });
    expect(await sim.requests()).toEqual([]);
  });

  it('is refused before auth: no key needed to be told, and the admin API and unknown paths too', async () => {
    const long = pathOfLength('/admin/teams', MAX_URL_BYTES + 1);
    const response = await callGateway(new Request(`${GATEWAY}${long}`));
    expect(response.status).toBe(414);
    expect((await callGateway(new Request(`${GATEWAY}${pathOfLength('/nowhere', MAX_URL_BYTES + 1)}`))).status).toBe(414);
  });

  it('Codex gets 400 (it retries a 414), with the same body', async () => {
    const response = await callGateway(post(pathOfLength('/v1/responses', MAX_URL_BYTES + 1), turn, CODEX_HEADERS));
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({ code: 'uri_too_long' });
  });

  it('a long URL within the limit goes through (the exact boundary: test/unit/http/limits.test.ts)', async () => {
    // The simulator (Node) itself refuses request heads over 16 KiB, so half the limit here.
    const response = await callGateway(post(pathOfLength('/v1/responses', MAX_URL_BYTES / 2), turn));
    expect(response.status).toBe(200);
    expect(await sim.requests()).toHaveLength(1);
  });
});

describe('the request headers', () => {
  it(`headers larger than ${MAX_HEADER_BYTES} bytes in total → 431 request_header_fields_too_large, final, nothing forwarded`, async () => {
    const headers = padding(MAX_HEADER_BYTES - baseHeaderBytes() + 1);
    const { result: response, lines } = await captureLogs(async () => callGateway(post('/v1/responses', turn, headers)));
    expect(response.status).toBe(431);
    expect(response.headers.get('x-should-retry')).toBe('false');
    const error = await errorOf(response);
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'request_header_fields_too_large' });
    expect(error.message).toBe(`codex-edge: the request headers are ${MAX_HEADER_BYTES + 1} bytes in total; at most ${MAX_HEADER_BYTES} are accepted`);
    expect(lines[0]).toMatchObject({ status: 431, error_code: 'request_header_fields_too_large' });
    expect(await sim.requests()).toEqual([]);
  });

  it('many small headers count as much as one large one; Codex gets 400', async () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, index) => [`x-codex-extra-${index}`, 'v'.repeat(1000)]));
    const response = await callGateway(post('/v1/responses', turn, { ...CODEX_HEADERS, ...many }));
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({ code: 'request_header_fields_too_large' });
    expect(await sim.requests()).toEqual([]);
  });

  it('large headers within the limit go through (the exact boundary: test/unit/http/limits.test.ts)', async () => {
    const response = await callGateway(post('/v1/responses', turn, padding(MAX_HEADER_BYTES - baseHeaderBytes())));
    expect(response.status).toBe(200);
    expect(await sim.requests()).toHaveLength(1);
  });
});
