/**
 * A scripted upstream body for the relay's unit tests: the test writes to it, closes or breaks it,
 * and sees whether it was cancelled; and the relay options these tests share (fake-clock timings).
 */
import { explainer } from '../../../src/providers/passthrough';
import { vi } from 'vitest';
import { Redactor } from '../../../src/core/redact';
import type { SourceOptions } from '../../../src/stream/source';
import { watchStream, type WireApi } from '../../../src/stream/terminal';

export const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

export interface ScriptedUpstream {
  readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  send(text: string): void;
  sendBytes(bytes: Uint8Array): void;
  close(): void;
  fail(error: Error): void;
  cancelled(): boolean;
}

export function scriptedUpstream(): ScriptedUpstream {
  const state: { controller: ReadableStreamDefaultController<Uint8Array> | null; cancelled: boolean } = { controller: null, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      state.controller = controller;
    },
    cancel() {
      state.cancelled = true;
    },
  });
  const controller = (): ReadableStreamDefaultController<Uint8Array> => {
    if (state.controller === null) throw new Error('stream not started');
    return state.controller;
  };
  return {
    reader: stream.getReader(),
    // Bytes sent after the gateway cancelled the body go nowhere, as on a real connection.
    send: (text) => {
      if (!state.cancelled) controller().enqueue(encode(text));
    },
    sendBytes: (bytes) => controller().enqueue(bytes),
    close: () => controller().close(),
    fail: (error) => controller().error(error),
    cancelled: () => state.cancelled,
  };
}

export const HEARTBEAT_MS = 1_000;
export const IDLE_MS = 3_500;
export const MAX_EVENT_BYTES = 64 * 1024;

/** A relay's options over `upstream`, as an adapter builds them, on the fake clock; `overrides` on top. */
export function relayOptions(upstream: ScriptedUpstream, wire: WireApi, first: string | Uint8Array, overrides: Partial<SourceOptions> = {}): SourceOptions {
  return {
    first: typeof first === 'string' ? encode(first) : first,
    reader: upstream.reader,
    watch: watchStream(wire),
    heartbeatMs: HEARTBEAT_MS,
    idleMs: IDLE_MS,
    maxEventBytes: MAX_EVENT_BYTES,
    explain: explainer('api.example'),
    redactor: Redactor.patterns,
    now: () => Date.now(),
    ...overrides,
  };
}

/** Every item of a source up to and including its end (no time passes: for upstreams already scripted to the end). */
export async function itemsToEnd<T extends { readonly kind: string }>(source: { next(): Promise<T> }): Promise<T[]> {
  const items: T[] = [];
  for (;;) {
    const item = await source.next();
    items.push(item);
    if (item.kind === 'end') return items;
  }
}

/** Each item of a source and the fake time it came at, while the upstream sends `text` every `everyMs`, for `forMs`. */
export async function itemsWhileSending<T extends { readonly kind: string }>(
  source: { next(): Promise<T> },
  upstream: ScriptedUpstream,
  send: { readonly text: string; readonly everyMs: number; readonly forMs: number },
): Promise<(readonly [number, T])[]> {
  const items: (readonly [number, T])[] = [];
  const sender = setInterval(() => upstream.send(send.text), send.everyMs);
  const reading = (async () => {
    for (let item = await source.next(); ; item = await source.next()) {
      items.push([Date.now(), item]);
      if (item.kind === 'end') return;
    }
  })();
  await vi.advanceTimersByTimeAsync(send.forMs);
  clearInterval(sender);
  if (items.at(-1)?.[1].kind === 'end') await reading;
  return items;
}
