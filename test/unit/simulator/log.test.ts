/**
 * What the simulator tells a person watching it: its CLI listens on the README's port and logs
 * one line per request and per injected fault; started from code it says nothing unless asked.
 */
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PORT, parseInvocation } from '../../../simulator/invocation';
import { startSimulator, type Simulator } from '../../../simulator/server';

let sim: Simulator | undefined;
const agent = new Agent();
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function post(baseUrl: string, body: unknown): Promise<number | string> {
  try {
    const response = await request(`${baseUrl}/responses`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await response.body.text();
    return response.statusCode;
  } catch (error) {
    return String((error as { code?: unknown }).code);
  }
}

/** Lines arrive when a response closes, a moment after the client has read it. */
async function settled(lines: string[], count: number): Promise<string[]> {
  await vi.waitFor(() => expect(lines.length).toBeGreaterThanOrEqual(count));
  return lines.map((line) => line.replace(/^\d\d:\d\d:\d\d\.\d{3} /, 'T '));
}

describe('the simulator log', () => {
  it('has one line per request and one per injected fault', async () => {
    const lines: string[] = [];
    sim = await startSimulator({}, { log: (line) => lines.push(line) });
    sim.enqueue({ kind: 'status', status: 503 }, { kind: 'cut', afterEvents: 2 });
    expect(await post(sim.baseUrl, { model: 'm', input: 'hi' })).toBe(503);
    await post(sim.baseUrl, { model: 'm', input: 'hi', stream: true }); // cut: the client sees a broken stream
    expect(await post(sim.baseUrl, { model: 'm', input: 'hi' })).toBe(200);
    const seen = await settled(lines, 5);
    expect(seen).toEqual([
      expect.stringMatching(/^T #\d+ POST \/v1\/responses: fault status 503$/),
      expect.stringMatching(/^T #\d+ POST \/v1\/responses → 503 \(\d+ ms\)$/),
      expect.stringMatching(/^T #\d+ POST \/v1\/responses: fault cut after 2 event\(s\) \(RST\)$/),
      expect.stringMatching(/^T #\d+ POST \/v1\/responses → 200, ended early \(\d+ ms\)$/),
      expect.stringMatching(/^T #\d+ POST \/v1\/responses → 200 \(\d+ ms\)$/),
    ]);
  });

  it('names the idle cutoff when a request arrives on a connection past it', async () => {
    const lines: string[] = [];
    sim = await startSimulator({ idleCutoffMs: 50 }, { log: (line) => lines.push(line) });
    const pooled = new Agent();
    try {
      await (await request(`${sim.baseUrl}/models`, { dispatcher: pooled })).body.text();
      await new Promise((resolve) => setTimeout(resolve, 150));
      await request(`${sim.baseUrl}/models`, { dispatcher: pooled }).then(
        (response) => response.body.text(),
        () => null,
      );
    } finally {
      await pooled.close();
    }
    const seen = await settled(lines, 3);
    expect(seen[1]).toMatch(/: fault idle cutoff \(connection idle over 50 ms\): RST before the status line$/);
    expect(seen[2]).toMatch(/→ no answer \(\d+ ms\)$/);
  });

  it('is off when the simulator is started from code without a log', async () => {
    const write = vi.spyOn(process.stdout, 'write');
    const log = vi.spyOn(console, 'log');
    try {
      sim = await startSimulator();
      sim.enqueue({ kind: 'status', status: 500 });
      await post(sim.baseUrl, { model: 'm', input: 'hi' });
      await post(sim.baseUrl, { model: 'm', input: 'hi' });
      expect(write).not.toHaveBeenCalled();
      expect(log).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
      log.mockRestore();
    }
  });
});

describe('the simulator CLI', () => {
  it("listens on the README's port 9000 and logs by default", () => {
    expect(DEFAULT_PORT).toBe(9000);
    expect(parseInvocation([])).toMatchObject({ log: true, options: { port: 9000 } });
  });

  it('takes --port (0: a free port) and --quiet', () => {
    expect(parseInvocation(['--port', '0', '--quiet'])).toMatchObject({ log: false, options: { port: 0 } });
  });
});
