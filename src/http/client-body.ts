/**
 * A streamed body as workerd should get it, so that a client that goes away is always noticed.
 * workerd pumps a JS-backed ReadableStream by pulling it; when the client disconnects it just
 * stops pulling: it neither calls cancel() nor (with nothing left to write) aborts
 * request.signal, and the relay would wait forever. A native IdentityTransformStream in between
 * turns the failed write to the client into an error of its writable side, which pipeTo passes
 * back as cancel() of the JS stream. (What keeps the request alive until then is the waitUntil
 * of the trace middleware.)
 */
export function clientBody(stream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const pipe = new IdentityTransformStream();
  // Rejects when either side ends badly (a broken stream, a client gone); each side has seen it already.
  stream.pipeTo(pipe.writable).catch(() => undefined);
  return pipe.readable;
}
