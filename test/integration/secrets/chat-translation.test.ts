/**
 * The Chat bridge makes events of its own: it decodes the provider's JSON and joins its deltas,
 * so a key the provider's chunks held escaped or in pieces is whole only in what the translation
 * builds (the done events, the completed response, a JSON answer). The provider's answer here
 * quotes the key the gateway sent it, in 5-character deltas; neither the client nor a log line
 * may hold it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatReply } from '../../../simulator/chat-script';
import { forgetRefusals } from '../../../src/providers/chat/learned';
import { CODEX_HEADERS, callGateway, post, sim } from '../support';
import { CLIENT_KEY, KEY_FORMATS, exposures } from './keys';

let logged: string[] = [];

beforeEach(async () => {
  logged = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    logged.push(args.map(String).join(' '));
  });
  await sim.reset();
  await sim.options({ chatStrict: true, deltaSize: 5 });
});
afterEach(() => {
  vi.restoreAllMocks();
  forgetRefusals();
});

const REPLIES: readonly [string, (key: string) => ChatReply][] = [
  ['its text', (key) => ({ kind: 'text', text: `Your key is ${key}, as sent.` })],
  ['its reasoning', (key) => ({ kind: 'text', text: 'done', reasoning: `The header carried ${key}.` })],
  ['a tool call’s arguments', (key) => ({ kind: 'tool-call', name: 'exec_command', arguments: { cmd: `echo ${key}` } })],
];

const CASES = KEY_FORMATS.flatMap((format) =>
  REPLIES.flatMap(([where, reply]) =>
    [true, false].map((stream) => [`${format.name} in ${where}, ${stream ? 'streamed' : 'as JSON'}`, format.key, reply, stream] as const),
  ),
);

describe('a key the Chat provider quotes back, translated for /v1/responses', () => {
  it.each(CASES)('%s: never reaches the client or a log line', async (_name, key, reply, stream) => {
    await sim.replies(reply(key));
    const env = { UPSTREAM_WIRE_API: 'chat', UPSTREAM_API_KEY: key, GATEWAY_API_KEYS: CLIENT_KEY } as const;
    const request = post('/v1/responses', { model: 'gpt-test', stream, input: 'hi' }, { ...CODEX_HEADERS, authorization: `Bearer ${CLIENT_KEY}` });
    const response = await callGateway(request, env);
    const body = await response.text();
    expect(response.status).toBe(200);
    expect((await sim.requests())[0]?.headers['authorization']).toBe(`Bearer ${key}`);
    expect(exposures(key, body)).toEqual([]);
    expect(body).toContain('[redacted]');
    expect(logged.filter((line) => exposures(key, line).length > 0)).toEqual([]);
  });
});
