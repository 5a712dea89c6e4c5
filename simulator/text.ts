/**
 * Deterministic assistant text, cut into deltas of exactly `deltaSize` characters
 * (words split where a tokenizer would split them), plus OpenAI-style ids and a
 * rough token estimate. With the defaults (5 × 8) the text is
 * "Hello from the flaky provider simulator." so tests can look for it.
 */
import { randomBytes } from 'node:crypto';

const CORPUS =
  'Hello from the flaky provider simulator. ' +
  'It writes plain words in small pieces, the way a model streams them, ' +
  'so that clients, gateways and benchmarks see realistic deltas. ';

/** `prefix` + 32 random hex characters, e.g. `resp_…`, `msg_…`, `req_…`. */
export function randomId(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** The full text of a response made of `deltaCount` deltas of `deltaSize` characters. */
export function composeText(deltaCount: number, deltaSize: number): string {
  const length = deltaCount * deltaSize;
  return CORPUS.repeat(Math.ceil(length / CORPUS.length)).slice(0, length);
}

/** Yields `text` in consecutive slices of `deltaSize` characters. */
export function* splitDeltas(text: string, deltaSize: number): Generator<string> {
  for (let start = 0; start < text.length; start += deltaSize) yield text.slice(start, start + deltaSize);
}

/** About four characters per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
