/**
 * A request body the gateway cannot read to its end is the client's doing: 400
 * invalid_request_body for a body that breaks (bad chunked framing, shorter than declared), 499
 * for a client that went away mid-upload; never a 500 internal_error, never an upstream call.
 * (A broken body is simulated by a body stream that errors after some bytes: workerd reports bad
 * framing as such an error, and a disconnect as one saying "Network connection lost.".)
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { GATEWAY, callGateway, captureLogs, errorOf, sim } from './support';

beforeEach(() => sim.reset());

/** A body stream that sends its first bytes, then fails with `error`. */
function breakingBody(error: Error): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent) {
        controller.error(error);
        return;
      }
      sent = true;
      controller.enqueue(new TextEncoder().encode('{"model":"gpt-test","input":"'));
    },
  });
}

function postWithBody(path: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Request {
  return new Request(`${GATEWAY}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client-key', ...headers },
    body,
  });
}

describe('a request body that cannot be read', () => {
  it('breaks mid-way (bad framing) → 400 invalid_request_body, logged as 400, nothing sent upstream', async () => {
    const { result: response, lines } = await captureLogs(async () =>
      callGateway(postWithBody('/v1/responses', breakingBody(new Error('internal error; reference = 0123abcd')))),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('x-should-retry')).toBe('false');
    const error = await errorOf(response);
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_request_body' });
    expect(error.message).toMatch(/^codex-edge: the request body could not be read to its end/);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', status: 400, error_code: 'invalid_request_body' });
    expect(lines[0]?.['error_cause']).toContain('internal error; reference = 0123abcd');
    expect(await sim.requests()).toEqual([]);
  });

  it('for Codex too: the same 400, which it does not retry', async () => {
    const response = await callGateway(postWithBody('/v1/responses', breakingBody(new Error('invalid HTTP chunk size')), { originator: 'codex_exec' }));
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({ code: 'invalid_request_body' });
  });

  it('the client went away mid-upload → 499 client_closed_request in the log, nothing sent upstream', async () => {
    const { result: response, lines } = await captureLogs(async () =>
      callGateway(postWithBody('/v1/chat/completions', breakingBody(new Error('Network connection lost.')))),
    );
    expect(response.status).toBe(499);
    expect(await errorOf(response)).toMatchObject({ code: 'client_closed_request' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', status: 499, error_code: 'client_closed_request' });
    expect(await sim.requests()).toEqual([]);
  });

  it('the client went away mid-upload and its request signal fired → 499', async () => {
    const controller = new AbortController();
    const body = breakingBody(new Error('stream aborted'));
    const request = new Request(postWithBody('/v1/responses', body), { signal: controller.signal });
    controller.abort();
    const response = await callGateway(request);
    expect(response.status).toBe(499);
  });
});
