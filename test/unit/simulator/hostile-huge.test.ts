/**
 * The huge fault (simulator/hostile-huge.ts): bodies of exactly `bytes` in each shape, and a
 * server that waits for a client that stopped reading, as bare node:http receives them.
 */
import { describe, expect, it } from 'vitest';
import { CHAT_STREAM, errorOf, freshSimulatorPerTest, post, sim, STREAM } from './hostile-support';
import { rawRequest, sseData } from './raw-client';

freshSimulatorPerTest();

describe('huge', () => {
  it('json-message: an error whose message is `bytes` long, with an exact Content-Length', async () => {
    const bytes = 8 * 1024 * 1024 + 3;
    sim.enqueue({ kind: 'huge', status: 500, bytes, shape: 'json-message' });
    const { status, headers, body, received, ended } = await post('/responses');
    expect({ status, ended, received }).toEqual({ status: 500, ended: true, received: Number(headers['content-length']) });
    const error = errorOf(body);
    expect(error).toMatchObject({ type: 'server_error', code: null });
    expect((error.message as string).length).toBe(bytes);
  });

  it('json-message with a 2xx: a chat.completion (or Responses object) whose text is `bytes` long', async () => {
    sim.enqueue({ kind: 'huge', status: 200, bytes: 100_000, shape: 'json-message' }, { kind: 'huge', status: 200, bytes: 70_000, shape: 'json-message' });
    const chat = JSON.parse((await post('/chat/completions', CHAT_STREAM)).body.toString()) as { object: string; choices: { message: { content: string } }[] };
    expect(chat.object).toBe('chat.completion');
    expect(chat.choices[0]?.message.content).toHaveLength(100_000);
    const response = JSON.parse((await post('/responses')).body.toString()) as { object: string; output: { content: { text: string }[] }[] };
    expect(response.object).toBe('response');
    expect(response.output[0]?.content[0]?.text).toHaveLength(70_000);
  });

  it('sse-event: one event whose data line is `bytes` long, without a newline unless terminated', async () => {
    const bytes = 1024 * 1024;
    sim.enqueue({ kind: 'huge', status: 200, bytes, shape: 'sse-event' }, { kind: 'huge', status: 200, bytes, shape: 'sse-event', terminated: true });
    const open = await post('/responses');
    expect(open).toMatchObject({ status: 200, ended: true, headers: { 'content-type': expect.stringMatching(/^text\/event-stream/) } });
    const [eventLine, dataLine, ...rest] = open.body.toString().split('\n');
    expect(eventLine).toBe('event: response.output_text.delta');
    expect(dataLine).toMatch(/^data: \{"type":"response.output_text.delta"/);
    expect(dataLine).toHaveLength(bytes);
    expect(rest).toEqual([]); // no newline after the data line

    const closed = (await post('/responses')).body.toString();
    expect(closed.endsWith('\n\n')).toBe(true);
    const event = sseData(closed)[0] as { delta: string };
    expect(closed.split('\n')[1]).toHaveLength(bytes);
    expect(event.delta.length).toBeGreaterThan(bytes - 200);
  });

  it('sse-event on /chat/completions: a chunk whose data line is `bytes` long', async () => {
    sim.enqueue({ kind: 'huge', status: 200, bytes: 300_000, shape: 'sse-event', terminated: true });
    const text = (await post('/chat/completions', CHAT_STREAM)).body.toString();
    expect(text.split('\n')[0]).toHaveLength(300_000);
    expect(sseData(text)[0]).toMatchObject({ object: 'chat.completion.chunk', choices: [{ delta: { content: expect.any(String) } }] });
  });

  it('raw: application/octet-stream of exactly `bytes`, neither JSON nor SSE', async () => {
    const bytes = 64 * 1024 * 1024 + 1;
    sim.enqueue({ kind: 'huge', status: 502, bytes, shape: 'raw' });
    const { status, headers, body, received, ended } = await post('/responses', STREAM, { keep: 4 });
    expect({ status, received, ended, type: headers['content-type'], length: headers['content-length'] }).toEqual({
      status: 502,
      received: bytes,
      ended: true,
      type: 'application/octet-stream',
      length: String(bytes),
    });
    expect([...body]).toEqual([0, 1, 2, 3]);
  });

  it('waits for the client: a 64 GiB body to a client that stopped reading neither fills memory nor blocks the event loop', async () => {
    sim.enqueue({ kind: 'huge', status: 200, bytes: 64 * 1024 ** 3, shape: 'raw' });
    const before = process.memoryUsage();
    let lagMs = 0;
    const outcome = await post('/responses', STREAM, {
      keep: 0,
      stopAfterMs: 500,
      onResponse: (res) => {
        res.once('data', () => res.pause()); // read one chunk, then stop reading
        // The event loop must keep turning while the server has 64 GiB to send.
        const started = Date.now();
        let last = started;
        const probe = setInterval(() => {
          lagMs = Math.max(lagMs, Date.now() - last - 20);
          last = Date.now();
          if (last - started > 400) clearInterval(probe);
        }, 20);
      },
    });
    const after = process.memoryUsage();
    expect(outcome).toMatchObject({ status: 200, ended: false });
    expect(outcome.received).toBeLessThan(16 * 1024 * 1024); // socket buffers, not the body
    expect(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers).toBeLessThan(64 * 1024 * 1024);
    expect(lagMs).toBeLessThan(200);
    expect((await rawRequest(`${sim.baseUrl}/models`)).status).toBe(200); // and it is still serving
  });
});
