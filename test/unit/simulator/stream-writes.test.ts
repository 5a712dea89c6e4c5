/**
 * streamWriteBytes: streams written in fixed-size slices (events cut across them), as a provider's
 * TCP writes arrive, instead of one write per event; the bytes a client reads are the same.
 */
import { Agent, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Slicer } from '../../../simulator/reply';
import { startSimulator, type Simulator } from '../../../simulator/server';

describe('Slicer', () => {
  it('passes pieces through as they are with size 0', () => {
    const slicer = new Slicer(0);
    expect(slicer.add('data: a\n\n')).toEqual(['data: a\n\n']);
    expect(slicer.flush()).toEqual([]);
  });

  it('cuts what it is given into slices of exactly the size, the rest held until flushed', () => {
    const slicer = new Slicer(4);
    const out = [...slicer.add('ab'), ...slicer.add('cdefghij'), ...slicer.add('k'), ...slicer.flush()].map((b) => b.toString());
    expect(out).toEqual(['abcd', 'efgh', 'ijk']);
    expect(slicer.flush()).toEqual([]);
  });

  it('never cuts a multi-byte character into invalid text once the slices are joined', () => {
    const slicer = new Slicer(3);
    const slices = [...slicer.add('héllo wörld'), ...slicer.flush()];
    expect(slices.every((slice) => slice.length <= 3)).toBe(true);
    expect(Buffer.concat(slices.map((slice) => Buffer.from(slice))).toString('utf8')).toBe('héllo wörld');
  });
});

describe('a simulator with streamWriteBytes', () => {
  let sim: Simulator;
  let agent: Agent;
  beforeEach(async () => {
    sim = await startSimulator({ deltaCount: 300, deltaSize: 8 });
    agent = new Agent();
  });
  afterEach(async () => {
    await sim.close();
    await agent.close();
  });

  async function stream(): Promise<{ body: string; error: string | null }> {
    let body = '';
    try {
      const res = await request(`${sim.baseUrl}/responses`, { method: 'POST', dispatcher: agent, body: JSON.stringify({ model: 'm', stream: true }) });
      for await (const chunk of res.body) body += String(chunk);
      return { body, error: null };
    } catch (error) {
      return { body, error: String((error as { code?: unknown }).code) };
    }
  }
  /** The stream with its random ids blanked, so that two answers compare. */
  const shape = (body: string): string => body.replace(/(resp_|msg_)[0-9a-f]{32}/g, '$1').replace(/"created_at":\d+/g, '"created_at":0');

  it('sends the same bytes as one write per event', async () => {
    const whole = await stream();
    sim.setOptions({ streamWriteBytes: 4096 });
    const sliced = await stream();
    expect(sliced.body.length).toBeGreaterThan(3 * 4096);
    expect(shape(sliced.body)).toBe(shape(whole.body));
  });

  it('still cuts after exactly N events, and flushes between paused events', async () => {
    sim.setOptions({ streamWriteBytes: 4096 });
    sim.enqueue({ kind: 'cut', afterEvents: 3 });
    const cut = await stream();
    expect(cut.body.match(/^event: /gm)).toHaveLength(3);
    expect(cut.error).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    sim.setOptions({ deltaCount: 1, eventDelayMs: 5 });
    expect((await stream()).body).toContain('response.completed');
  });

  it('is validated', () => {
    expect(() => sim.setOptions({ streamWriteBytes: -1 })).toThrow(/streamWriteBytes/);
  });
});
