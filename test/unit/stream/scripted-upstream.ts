/** A scripted upstream body for the relay's unit tests: the test writes to it, closes or breaks it, and sees whether it was cancelled. */

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
