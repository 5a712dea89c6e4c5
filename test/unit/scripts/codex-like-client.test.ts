/**
 * The demo's Codex-like client retries as FIELD-NOTES §1 measured Codex doing with its default
 * settings: 30 requests over ~25 s for a persistent 5xx, 6 requests N s apart for "try again in
 * Ns", one for a final answer.
 */
import { describe, expect, it } from 'vitest';
import { codexLikeTurn, readAnswer, type TurnAnswer } from '../../../scripts/lib/codex-like-client';

/** Plays the answers in order (the last one forever); waits are summed, not slept. */
function scripted(...answers: TurnAnswer[]): { send: () => Promise<TurnAnswer>; sleep: (ms: number) => Promise<void>; waited: () => number } {
  let index = 0;
  let waited = 0;
  return {
    send: () => Promise.resolve(answers[Math.min(index++, answers.length - 1)] ?? { kind: 'completed' }),
    sleep: (ms) => {
      waited += ms;
      return Promise.resolve();
    },
    waited: () => waited,
  };
}

const FIVE_O_THREE: TurnAnswer = { kind: 'transient', retryAfterMs: null, what: 'HTTP 503' };

describe('a Codex-like turn', () => {
  it('a provider answering 503 for good: 30 requests over about 25 s, then it gives up', async () => {
    const provider = scripted(FIVE_O_THREE);
    expect(await codexLikeTurn(provider.send, provider.sleep)).toEqual({ completed: false, requests: 30, error: 'HTTP 503' });
    expect(provider.waited()).toBe(6 * 3_000 + 6_200);
  });

  it('"try again in Ns": 6 requests, N s apart', async () => {
    const provider = scripted({ kind: 'wait', ms: 4_000, what: 'try again in 4s' });
    expect(await codexLikeTurn(provider.send, provider.sleep)).toMatchObject({ completed: false, requests: 6 });
    expect(provider.waited()).toBe(5 * 4_000);
  });

  it('completes as soon as an answer does; stops at once on a final one', async () => {
    const recovering = scripted(FIVE_O_THREE, FIVE_O_THREE, { kind: 'completed' });
    expect(await codexLikeTurn(recovering.send, recovering.sleep)).toEqual({ completed: true, requests: 3, error: null });
    const final = scripted({ kind: 'final', what: 'HTTP 400' });
    expect(await codexLikeTurn(final.send, final.sleep)).toEqual({ completed: false, requests: 1, error: 'HTTP 400' });
  });
});

describe('reading an answer as Codex does', () => {
  const failed = (code: string, message: string): string =>
    `event: response.failed\ndata: ${JSON.stringify({ type: 'response.failed', response: { id: 'r', error: { code, message } } })}\n\n`;

  it.each([
    ['a completed stream', 200, null, 'data: {"type":"response.completed"}\n\n', { kind: 'completed' }],
    ['rate_limit_exceeded with "try again in 7.5s"', 200, null, failed('rate_limit_exceeded', 'down; try again in 7.5s'), { kind: 'wait', ms: 7_500 }],
    ['another response.failed', 200, null, failed('server_error', 'cut'), { kind: 'transient', retryAfterMs: null }],
    ['a 503 with Retry-After', 503, '2', '{"error":{"message":"overloaded"}}', { kind: 'transient', retryAfterMs: 2_000, what: 'HTTP 503: overloaded' }],
    ['a 429 with Retry-After', 429, '3', '{}', { kind: 'wait', ms: 3_000 }],
    ['a 429 without one', 429, null, '{}', { kind: 'final' }],
    ['a 400', 400, null, '{"error":{"message":"bad"}}', { kind: 'final', what: 'HTTP 400: bad' }],
  ] as const)('%s', (_name, status, retryAfter, body, expected) => {
    expect(readAnswer(status, retryAfter, body)).toMatchObject(expected);
  });
});
