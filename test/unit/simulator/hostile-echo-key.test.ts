/**
 * The echo-key fault (simulator/hostile-echo-key.ts): the caller's key, or a fixed value, echoed
 * back in each place it can go, as a client reading with bare node:http receives it.
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Fault } from '../../../simulator/server';
import { CHAT_STREAM, errorOf, freshSimulatorPerTest, KEY, post, sim, STREAM } from './hostile-support';
import { rawRequest, sseData } from './raw-client';

freshSimulatorPerTest();

describe('echo-key', () => {
  it('message, code, type, param: a 401 OpenAI error carrying the bearer token in that field', async () => {
    sim.enqueue(
      { kind: 'echo-key', where: 'message' },
      { kind: 'echo-key', where: 'code' },
      { kind: 'echo-key', where: 'type' },
      { kind: 'echo-key', where: 'param', status: 400 },
    );
    const message = await post('/responses');
    expect(message).toMatchObject({ status: 401, headers: { 'content-type': 'application/json' }, ended: true });
    expect(errorOf(message.body)).toMatchObject({
      message: `Incorrect API key provided: ${KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      code: 'invalid_api_key',
    });
    expect(errorOf((await post('/responses')).body)).toMatchObject({ code: KEY, type: 'invalid_request_error' });
    expect(errorOf((await post('/responses')).body)).toMatchObject({ type: KEY, code: 'invalid_api_key' });
    const param = await post('/chat/completions', CHAT_STREAM);
    expect(param.status).toBe(400);
    expect(errorOf(param.body)).toMatchObject({ param: KEY });
  });

  it('header: openai-organization and x-request-id are the key; the body is the usual 401', async () => {
    sim.enqueue({ kind: 'echo-key', where: 'header' });
    const { status, headers, body } = await post('/responses');
    expect(status).toBe(401);
    expect(headers).toMatchObject({ 'openai-organization': KEY, 'x-request-id': KEY });
    expect(errorOf(body)).toMatchObject({ code: 'invalid_api_key' });
    expect(body.toString()).not.toContain(KEY);
  });

  it('html: a text/html error page containing the key', async () => {
    sim.enqueue({ kind: 'echo-key', where: 'html' });
    const { status, headers, body } = await post('/responses');
    expect(status).toBe(401);
    expect(headers['content-type']).toMatch(/^text\/html/);
    expect(body.toString()).toMatch(/^<html>.*401 Unauthorized/);
    expect(body.toString()).toContain(`Invalid API key: ${KEY}`);
  });

  it('stream-event: a 200 Responses stream whose error event and response.failed carry the key; a chat error chunk', async () => {
    sim.enqueue({ kind: 'echo-key', where: 'stream-event' }, { kind: 'echo-key', where: 'stream-event' });
    const responses = await post('/responses');
    expect(responses).toMatchObject({ status: 200, ended: true, headers: { 'content-type': expect.stringMatching(/^text\/event-stream/) } });
    const events = sseData(responses.body.toString()) as { type: string; message?: string; response?: { status: string; error: { message: string } } }[];
    expect(events.map((e) => e.type)).toEqual(['response.created', 'response.in_progress', 'error', 'response.failed']);
    expect(events[2]).toMatchObject({ code: 'invalid_api_key', message: expect.stringContaining(KEY) });
    expect(events[3]?.response).toMatchObject({ status: 'failed', error: { code: 'invalid_api_key', message: expect.stringContaining(KEY) } });

    const chat = await post('/chat/completions', CHAT_STREAM);
    expect(chat.status).toBe(200);
    const chunks = sseData(chat.body.toString());
    expect(chunks[0]).toMatchObject({ object: 'chat.completion.chunk', choices: [{ delta: { role: 'assistant' } }] });
    expect(chunks[1]).toMatchObject({ error: { code: 'invalid_api_key', message: expect.stringContaining(KEY) } });
  });

  it('url-encoded, basic, prefix: the key transformed, not verbatim', async () => {
    sim.enqueue({ kind: 'echo-key', where: 'url-encoded' }, { kind: 'echo-key', where: 'basic' }, { kind: 'echo-key', where: 'prefix' });
    const encoded = errorOf((await post('/responses')).body).message as string;
    expect(encoded).toContain(encodeURIComponent(KEY));
    expect(encoded).not.toContain(KEY);
    const basic = errorOf((await post('/responses')).body).message as string;
    expect(basic).toContain(Buffer.from(`user:${KEY}`).toString('base64'));
    expect(basic).not.toContain(KEY);
    const prefix = errorOf((await post('/responses')).body).message as string;
    expect(prefix).toBe(`Incorrect API key provided: ${KEY.slice(0, 10)}...`);
  });

  it('value: echoes a fixed string; no Authorization: echoes an empty key; a status overrides the default', async () => {
    sim.enqueue({ kind: 'echo-key', where: 'message', value: 'sk-fixed-value' }, { kind: 'echo-key', where: 'code', status: 403 });
    expect(errorOf((await post('/responses')).body).message).toContain('sk-fixed-value');
    const anonymous = await rawRequest(`${sim.baseUrl}/responses`, { body: STREAM });
    expect(anonymous.status).toBe(403);
    expect(errorOf(anonymous.body).code).toBe('');
  });

  it.each<[string, string, (bytes: Buffer) => Buffer]>([
    ['deflate', 'deflate', inflateSync],
    ['GZIP (compressed all the same)', 'GZIP', gunzipSync],
    ['a name node:zlib does not know (sent as it is)', 'zstd', (bytes) => bytes],
  ])('contentType and contentEncoding: the page relabelled, %s', async (_name, contentEncoding, decode) => {
    sim.enqueue({ kind: 'echo-key', where: 'html', status: 200, contentType: 'application/octet-stream', contentEncoding });
    const { status, headers, body } = await post('/responses');
    expect(status).toBe(200);
    expect(headers).toMatchObject({ 'content-type': 'application/octet-stream', 'content-encoding': contentEncoding, 'content-length': String(body.length) });
    expect(decode(body).toString()).toContain(`Invalid API key: ${KEY}`);
  });

  it('contentEncoding on a stream: its events sent whole, compressed', async () => {
    sim.enqueue({ kind: 'echo-key', where: 'stream-event', contentEncoding: 'deflate' });
    const { status, headers, body } = await post('/responses');
    expect(status).toBe(200);
    expect(headers).toMatchObject({ 'content-type': expect.stringMatching(/^text\/event-stream/) as unknown, 'content-encoding': 'deflate' });
    expect(sseData(inflateSync(body).toString()).length).toBe(4);
  });

  it('spelling: the key spelled otherwise wherever it stands as text (a field, a header, a stream event)', async () => {
    sim.enqueue(
      { kind: 'echo-key', where: 'message', spelling: 'upper-case' },
      { kind: 'echo-key', where: 'header', spelling: 'upper-case' },
      { kind: 'echo-key', where: 'stream-event', spelling: 'upper-case' },
    );
    expect(errorOf((await post('/responses')).body).message).toContain(`provided: ${KEY.toUpperCase()}.`);
    expect((await post('/responses')).headers).toMatchObject({ 'x-request-id': KEY.toUpperCase() });
    const stream = (await post('/responses')).body.toString();
    expect(stream).toContain(KEY.toUpperCase());
    expect(stream).not.toContain(KEY);
  });

  it.each([
    ['unicode-escaped', KEY.replace(/./g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)],
    ['first-escaped', `\\u0073${KEY.slice(1)}`],
    ['slash-escaped', KEY.replace('/', '\\/').replace('+', '\\u002B')],
  ] as const)('spelling %s: the key JSON-escaped, as a JSON parser reads it back', async (spelling, text) => {
    sim.enqueue({ kind: 'echo-key', where: 'message', spelling });
    const { body } = await post('/responses');
    expect(body.toString()).toContain(text);
    expect(body.toString()).not.toContain(KEY);
    expect(errorOf(body).message).toContain(`provided: ${KEY}.`);
  });

  it('rejects a bad place or spelling, and a header value that Node could not send', () => {
    expect(() => sim.enqueue({ kind: 'echo-key', where: 'footer' } as unknown as Fault)).toThrow(/where/);
    expect(() => sim.enqueue({ kind: 'echo-key', where: 'message', spelling: 'rot13' } as unknown as Fault)).toThrow(/spelling/);
    expect(() => sim.enqueue({ kind: 'echo-key', where: 'header', value: 'a\r\nb' })).toThrow(/header value/);
    expect(() => sim.enqueue({ kind: 'echo-key', where: 'html', contentEncoding: 'a\nb' })).toThrow(/contentEncoding must be a valid header value/);
  });
});
