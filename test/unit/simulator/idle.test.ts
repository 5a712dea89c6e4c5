/**
 * The idle keep-alive cutoff, proved with real clients: a pooled undici Agent (what
 * SDK clients and the gateway's runtime do) and a raw TCP socket (to see exactly
 * what the server sends at the cutoff: nothing, in 'reset' mode).
 */
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../simulator/server';

const CUTOFF_MS = 150;
const PAST_CUTOFF_MS = CUTOFF_MS * 3;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function setup(
  options: SimulatorOptions,
): Promise<{ sim: Simulator; post: () => Promise<{ status: number; body: string; headers: Record<string, unknown> }> }> {
  const sim = await startSimulator(options);
  // One pooled keep-alive connection, kept far longer than the pause.
  const agent = new Agent({ connections: 1, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 30_000 });
  cleanups.push(
    () => agent.close(),
    () => sim.close(),
  );
  const post = async (): Promise<{ status: number; body: string; headers: Record<string, unknown> }> => {
    const res = await request(`${sim.baseUrl}/responses`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-test', input: 'hi' }),
    });
    return { status: res.statusCode, body: await res.body.text(), headers: res.headers };
  };
  return { sim, post };
}

describe('idle cutoff with a pooled undici Agent', () => {
  it('reuses the same connection before the cutoff', async () => {
    const { sim, post } = await setup({ idleCutoffMs: 2_000 });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);
    expect(sim.requests.map((r) => r.socketId)).toEqual([sim.requests[0]?.socketId, sim.requests[0]?.socketId]);
    expect(sim.stats()).toMatchObject({ connections: 1, idleCutoffs: 0, staleHits: 0 });
  });

  it("'reset': the next request on the stale pooled connection fails with a reset", async () => {
    const { sim, post } = await setup({ idleCutoffMs: CUTOFF_MS });
    expect((await post()).status).toBe(200);
    await sleep(PAST_CUTOFF_MS);
    const error: unknown = await post().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as { code?: string }).code).toMatch(/^(ECONNRESET|UND_ERR_SOCKET)$/);
    // The provider never saw the stale request: counted as a stale hit, not recorded.
    expect(sim.stats()).toMatchObject({ requests: 1, connections: 1, idleCutoffs: 1, staleHits: 1 });
    // A fresh connection works again.
    expect((await post()).status).toBe(200);
  });

  it("'close': a FIN at the cutoff, so the client opens a new connection", async () => {
    const { sim, post } = await setup({ idleCutoffMs: CUTOFF_MS, idleMode: 'close' });
    expect((await post()).status).toBe(200);
    await sleep(PAST_CUTOFF_MS);
    expect((await post()).status).toBe(200);
    const [first, second] = sim.requests;
    expect(second?.socketId).not.toBe(first?.socketId);
    expect(sim.stats()).toMatchObject({ connections: 2, idleCutoffs: 1, staleHits: 0 });
  });

  it("'bad-request': the stale connection gets a bogus HTML 400 with Connection: close", async () => {
    const { sim, post } = await setup({ idleCutoffMs: CUTOFF_MS, idleMode: 'bad-request' });
    expect((await post()).status).toBe(200);
    await sleep(PAST_CUTOFF_MS);
    const stale = await post();
    expect(stale).toMatchObject({ status: 400, body: '<html><body><h1>400 Bad Request</h1></body></html>' });
    expect(stale.headers).toMatchObject({ connection: 'close', 'content-type': 'text/html' });
    expect((await post()).status).toBe(200);
    expect(sim.stats()).toMatchObject({ requests: 2, connections: 2, staleHits: 1 });
  });
});

describe("idle cutoff 'reset' on the wire", () => {
  const RAW_REQUEST = 'GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

  it('sends nothing at the cutoff, then RSTs the next request', async () => {
    const sim = await startSimulator({ idleCutoffMs: CUTOFF_MS });
    const socket: Socket = connect(sim.port, '127.0.0.1');
    cleanups.push(
      async () => {
        socket.destroy();
      },
      () => sim.close(),
    );
    const events: string[] = [];
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('end', () => events.push('end'));
    const failed = new Promise<NodeJS.ErrnoException>((resolve) => socket.on('error', resolve));

    socket.write(RAW_REQUEST);
    await expect.poll(() => received).toContain('"object":"list"');
    const answered = received.length;
    await sleep(PAST_CUTOFF_MS);
    expect(sim.stats().idleCutoffs).toBe(1);
    expect(events).toEqual([]); // no FIN
    expect(received.length).toBe(answered); // no bytes

    socket.write(RAW_REQUEST);
    expect((await failed).code).toBe('ECONNRESET');
    expect(received.length).toBe(answered); // no status line before the reset
    expect(sim.stats().staleHits).toBe(1);
  });
});
