import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/core/errors';
import { createBody, isProcessedAck, readCreateFrame, SessionMemory, TurnRecord } from '../../../src/providers/responses-session';
import { SessionBudget } from '../../../src/providers/session-budget';

/** A budget no test here reaches (the isolate's is tested below). */
const unbounded = (): SessionBudget => new SessionBudget(Number.POSITIVE_INFINITY);
import { parseEvent } from '../../../src/stream/sse';

const frame = (body: Record<string, unknown>) => readCreateFrame(JSON.stringify({ type: 'response.create', model: 'm', ...body }), 1 << 20);
const codeOf = (run: () => unknown): string | null => {
  try {
    run();
    return null;
  } catch (err) {
    if (err instanceof GatewayError) return err.body.code;
    throw err;
  }
};
const user = (text: string) => ({ role: 'user', content: text });
const doneEvent = (item: unknown) => parseEvent(`data: ${JSON.stringify({ type: 'response.output_item.done', item })}`);
const completedEvent = (id: string) => parseEvent(`data: ${JSON.stringify({ type: 'response.completed', response: { id } })}`);

describe('readCreateFrame', () => {
  it.each<[string, string, number, string | null]>([
    ['a create frame', '{"type":"response.create","model":"m"}', 1000, null],
    ['not JSON', 'nope', 1000, 'invalid_json'],
    ['an array', '[]', 1000, 'invalid_json'],
    ['another type', '{"type":"response.cancel"}', 1000, 'unknown_frame_type'],
    ['no type', '{}', 1000, 'unknown_frame_type'],
    ['a numeric model', '{"type":"response.create","model":1}', 1000, 'invalid_type'],
    ['a numeric previous_response_id', '{"type":"response.create","previous_response_id":1}', 1000, 'invalid_type'],
    ['a frame over the cap', `{"type":"response.create","input":"${'x'.repeat(2000)}"}`, 1000, 'frame_too_large'],
    ['a frame over the cap in bytes, not characters', `{"type":"response.create","input":"${'é'.repeat(400)}"}`, 500, 'frame_too_large'],
  ])('%s', (_name, text, max, code) => {
    expect(codeOf(() => readCreateFrame(text, max))).toBe(code);
  });

  it('reads generate: false as a prewarm', () => {
    expect(frame({ generate: false }).generate).toBe(false);
    expect(frame({}).generate).toBe(true);
  });
});

describe('createBody', () => {
  it('drops the frame-only fields, sets stream: true and the full input', () => {
    const body = createBody(frame({ previous_response_id: 'r', generate: true, stream: false, background: true, store: false }), [user('a')]);
    expect(body).toEqual({ model: 'm', store: false, input: [user('a')], stream: true });
  });
});

describe('SessionMemory', () => {
  it('expands a continuation of the last response: its input, its output, then the new items', () => {
    const memory = new SessionMemory(1000, unbounded());
    memory.remember('r1', [user('a')], [{ type: 'message', id: 'o1' }]);
    expect(memory.fullInput(frame({ previous_response_id: 'r1', input: [user('b')] }))).toEqual([user('a'), { type: 'message', id: 'o1' }, user('b')]);
  });

  it.each<[string, (memory: SessionMemory) => void, string]>([
    ['nothing remembered', () => undefined, 'it is not the last response'],
    ['another response remembered', (memory) => memory.remember('r2', [], []), 'it is not the last response'],
    ['over the cap', (memory) => memory.remember('r1', [user('x'.repeat(2000))], []), 'WEBSOCKET_SESSION_MAX_BYTES'],
    ['over the cap in bytes, not characters', (memory) => memory.remember('r1', [user('é'.repeat(500))], []), 'memory of 1000 bytes'],
  ])('refuses a continuation of r1 with %s', (_name, setup, why) => {
    const memory = new SessionMemory(1000, unbounded());
    setup(memory);
    expect(() => memory.fullInput(frame({ previous_response_id: 'r1' }))).toThrow(why);
    expect(codeOf(() => memory.fullInput(frame({ previous_response_id: 'r1' })))).toBe('previous_response_not_found');
  });

  it('takes a string input as one user message, and no previous_response_id as a fresh start', () => {
    expect(new SessionMemory(10, unbounded()).fullInput(frame({ input: 'hi' }))).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
    ]);
  });
});

describe('TurnRecord', () => {
  it('keeps the output items and the completed id, nothing else', () => {
    const record = new TurnRecord(1000);
    record.observe(parseEvent('data: {"type":"response.output_text.delta","delta":"x"}'));
    record.observe(doneEvent({ type: 'function_call', call_id: 'c' }));
    expect(record.completedId).toBeNull();
    record.observe(completedEvent('resp_1'));
    expect(record.output).toEqual([{ type: 'function_call', call_id: 'c' }]);
    expect(record.completedId).toBe('resp_1');
  });
});

describe('TurnRecord over the memory cap', () => {
  it('lets go of the output items once their events pass the cap, and keeps no more, while the completed id still counts', () => {
    const record = new TurnRecord(1000);
    const item = { type: 'message', content: [{ type: 'output_text', text: 'x'.repeat(300) }] };
    record.observe(doneEvent(item));
    record.observe(doneEvent(item));
    expect(record.output).toHaveLength(2);
    for (let index = 0; index < 100; index += 1) record.observe(doneEvent(item));
    expect(record.output).toBeNull();
    record.observe(completedEvent('resp_1'));
    expect(record.completedId).toBe('resp_1');
  });

  it('a response whose output went over the cap is not remembered: its continuation is refused, saying why', () => {
    const memory = new SessionMemory(1000, unbounded());
    memory.remember('r1', [user('hi')], null);
    expect(() => memory.fullInput(frame({ previous_response_id: 'r1' }))).toThrow('WEBSOCKET_SESSION_MAX_BYTES');
  });
});

describe('SessionMemory with the isolate budget', () => {
  it('keeps nothing once the connections of the isolate keep the budget, and gives back what a connection kept when it ends', () => {
    const budget = new SessionBudget(2500);
    const [first, second] = [new SessionMemory(2000, budget), new SessionMemory(2000, budget)];
    first.remember('r1', [user('x'.repeat(1500))], []);
    second.remember('r2', [user('y'.repeat(1500))], []);
    expect(first.fullInput(frame({ previous_response_id: 'r1' }))).toHaveLength(1);
    expect(() => second.fullInput(frame({ previous_response_id: 'r2' }))).toThrow('WEBSOCKET_SESSIONS_MAX_BYTES');
    first.close();
    second.remember('r3', [user('y'.repeat(1500))], []);
    expect(second.fullInput(frame({ previous_response_id: 'r3' }))).toHaveLength(1);
  });

  it('a turn that completes after its connection closed takes nothing of the budget (it would never be given back)', () => {
    const budget = new SessionBudget(2500);
    const [closed, open] = [new SessionMemory(2000, budget), new SessionMemory(2000, budget)];
    closed.close();
    closed.remember('r1', [user('x'.repeat(1500))], []);
    expect(() => closed.fullInput(frame({ previous_response_id: 'r1' }))).toThrow(/not the last response/);
    open.remember('r2', [user('y'.repeat(1500))], []);
    expect(open.fullInput(frame({ previous_response_id: 'r2' }))).toHaveLength(1);
  });

  it('a connection replacing its conversation gives the old one back first', () => {
    const budget = new SessionBudget(2500);
    const memory = new SessionMemory(2000, budget);
    for (let turn = 1; turn <= 5; turn += 1) memory.remember(`r${turn}`, [user('x'.repeat(1500))], []);
    expect(memory.fullInput(frame({ previous_response_id: 'r5' }))).toHaveLength(1);
  });
});

describe('isProcessedAck', () => {
  it.each<[string, string, boolean]>([
    ['an acknowledgement', JSON.stringify({ type: 'response.processed', response_id: 'resp_1' }), true],
    ['without its id', JSON.stringify({ type: 'response.processed' }), true],
    ['a create frame', JSON.stringify({ type: 'response.create', model: 'm', input: 'response.processed' }), false],
    ['not JSON', 'response.processed', false],
    ['a large frame naming it', JSON.stringify({ type: 'response.processed', pad: 'x'.repeat(2000) }), false],
  ])('%s', (_name, text, ack) => {
    expect(isProcessedAck(text)).toBe(ack);
  });
});
