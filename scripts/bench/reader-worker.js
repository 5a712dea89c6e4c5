// The reading floor of `npm run bench`: the least a Worker can do that looks at every byte it relays,
// as any gateway that guards the bytes must (nothing of the gateway's own). Each POST body is read
// and parsed as JSON; a JSON answer is read whole and decoded; a stream is read in BYOB reads of up
// to 16 KiB, each decoded and handed on as it came; one log line per request. Otherwise as the
// floor (floor-worker.js): the same path, method, headers and body go to UPSTREAM.
const READ_BYTES = 16 * 1024;
const utf8 = new TextDecoder();

function log(fields) {
  console.log(JSON.stringify({ level: 'info', msg: 'request', ...fields }));
}

function relayStream(body, done) {
  const reader = body.getReader({ mode: 'byob' });
  let buffer = new Uint8Array(READ_BYTES);
  let bytes = 0;
  return new ReadableStream({
    async pull(controller) {
      const result = await reader.read(buffer);
      if (result.done) {
        controller.close();
        done(bytes);
        return;
      }
      buffer = new Uint8Array(result.value.buffer);
      const chunk = result.value.slice();
      utf8.decode(chunk);
      bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const target = env.UPSTREAM + url.pathname + url.search;
    if (request.method !== 'POST') return fetch(target, { method: request.method, headers: request.headers });
    const body = await request.arrayBuffer();
    const model = JSON.parse(utf8.decode(body)).model;
    const upstream = await fetch(target, { method: 'POST', headers: request.headers, body });
    const init = { status: upstream.status, headers: upstream.headers };
    if ((upstream.headers.get('content-type') ?? '').startsWith('text/event-stream') && upstream.body !== null) {
      return new Response(
        relayStream(upstream.body, (bytes) => log({ model, status: upstream.status, bytes })),
        init,
      );
    }
    const answer = await upstream.arrayBuffer();
    utf8.decode(answer);
    log({ model, status: upstream.status, bytes: answer.byteLength });
    return new Response(answer, init);
  },
};
