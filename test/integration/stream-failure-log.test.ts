/**
 * A stream the upstream itself ends in a failure (Responses `response.failed`, a Chat error
 * chunk), over HTTP and as a WebSocket turn: its log line and its row in the request store say
 * why (the failure's code and message), redacted as every field is; a stream that ends well
 * says nothing.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { callGateway, captureLogs, post, sim } from './support';
import { TEAM_ENV } from './teams/support';
import { connect } from './websocket/client';

beforeEach(() => sim.reset());

/** A key no pattern knows: only the request's own redactor finds it in the echoed message. */
const KEY = 'client-own-key-0123456789abcdef';
const AUTH = { authorization: `Bearer ${KEY}` };
const input = [{ role: 'user', content: 'hi' }];

/** The line of the POST (a request or a turn), not a connection's (GET). */
function lineOf(lines: Record<string, unknown>[]): Record<string, unknown> | undefined {
  return lines.find((line) => line['msg'] === 'request' && line['method'] === 'POST');
}

async function relayed(request: Request): Promise<Record<string, unknown>[]> {
  const { lines } = await captureLogs(async () => {
    await (await callGateway(request, TEAM_ENV)).text();
  }, 1);
  return lines;
}

async function storedRow(): Promise<Record<string, unknown> | null> {
  for (let waited = 0; waited < 2000; waited += 20) {
    const row = await env.DB.prepare('SELECT outcome, error_code, error, stream_end FROM requests ORDER BY id DESC LIMIT 1').first();
    if (row !== null) return row;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return null;
}

describe('a stream the upstream ended in a failure: the log line and the store say why', () => {
  beforeEach(async () => {
    await env.DB.prepare('DELETE FROM requests').run();
    await sim.faults({ kind: 'echo-key', where: 'stream-event' });
  });

  it.each([
    ['Responses: response.failed', post('/v1/responses', { model: 'gpt-test', stream: true, input }, AUTH)],
    ['Chat: an error chunk', post('/v1/chat/completions', { model: 'gpt-test', stream: true, messages: input }, AUTH)],
  ])('%s', async (_name, request) => {
    const line = lineOf(await relayed(request));
    expect(line).toMatchObject({ failed: true, stream_end: 'terminal', error_code: 'invalid_api_key' });
    expect(String(line?.['error'])).toMatch(/^Incorrect API key provided: \[redacted\]/);
    const row = await storedRow();
    expect(row).toMatchObject({ outcome: 'failed', error_code: 'invalid_api_key', stream_end: 'terminal' });
    expect(String(row?.['error'])).toMatch(/^Incorrect API key provided: \[redacted\]/);
    expect(JSON.stringify([line, row])).not.toContain(KEY.slice(0, 8));
  });

  it('a WebSocket turn', async () => {
    const { lines } = await captureLogs(async () => {
      const socket = await connect(TEAM_ENV, AUTH);
      const frames = await socket.turn({ type: 'response.create', model: 'gpt-test', input }); // up to the echoed `error` event,
      frames.push(await socket.next()); // then response.failed
      expect(frames.at(-1)?.['type']).toBe('response.failed');
      socket.close();
      await socket.closed;
    }, 2);
    const line = lineOf(lines);
    expect(line).toMatchObject({ transport: 'websocket', turn: 1, failed: true, stream_end: 'terminal', error_code: 'invalid_api_key' });
    expect(String(line?.['error'])).toMatch(/^Incorrect API key provided: \[redacted\]/);
    expect(JSON.stringify(line)).not.toContain(KEY.slice(0, 8));
  });
});

it('a stream that ends well leaves the error fields empty', async () => {
  const line = lineOf(await relayed(post('/v1/responses', { model: 'gpt-test', stream: true, input })));
  expect(line).toMatchObject({ failed: false, stream_end: 'terminal', error_code: null, error: null });
});
