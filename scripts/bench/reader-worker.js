// The reading floor of `npm run bench`: the least a Worker can do that looks at every byte it relays
// and keeps the runtime obligations every guarded relay has, and nothing of the gateway's own
// policy. It reads every byte: each POST body is read and parsed as JSON; a JSON answer is read
// whole and decoded; a stream is read in BYOB reads of up to 16 KiB, each decoded and handed on as
// it came. Its obligations: a timeout on the upstream's headers (workerd has none: a timer that
// aborts the fetch's signal), the client's going away followed (its request signal aborts the
// fetch; the stream goes out through a native IdentityTransformStream, without which workerd
// never tells a JS stream that its client left), and one log line per request, kept alive with
// waitUntil until it is written. Otherwise as the floor (floor-worker.js): the same path,
// method, headers and body go to UPSTREAM.
const READ_BYTES = 16 * 1024;
const HEADERS_TIMEOUT_MS = 60_000;
const utf8 = new TextDecoder();

function log(fields) {
  console.log(JSON.stringify({ level: 'info', msg: 'request', ...fields }));
}

function relayStream(body, done) {
  const reader = body.getReader({ mode: 'byob' });
  let buffer = new Uint8Array(READ_BYTES);
  let bytes = 0;
  let over = false;
  const finish = () => {
    if (over) return;
    over = true;
    done(bytes);
  };
  const stream = new ReadableStream({
    async pull(controller) {
      const result = await reader.read(buffer);
      if (result.done) {
        controller.close();
        finish();
        return;
      }
      buffer = new Uint8Array(result.value.buffer);
      const chunk = result.value.slice();
      utf8.decode(chunk);
      bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel: (reason) => {
      finish();
      return reader.cancel(reason);
    },
  });
  const pipe = new IdentityTransformStream();
  stream.pipeTo(pipe.writable).catch(() => undefined);
  return pipe.readable;
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const target = env.UPSTREAM + url.pathname + url.search;
    if (request.method !== 'POST') return fetch(target, { method: request.method, headers: request.headers });
    let logged = () => undefined;
    ctx.waitUntil(new Promise((resolve) => (logged = resolve)));
    const body = await request.arrayBuffer();
    const model = JSON.parse(utf8.decode(body)).model;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), HEADERS_TIMEOUT_MS);
    const gone = () => controller.abort();
    request.signal.addEventListener('abort', gone);
    const end = (fields) => {
      request.signal.removeEventListener('abort', gone);
      log(fields);
      logged();
    };
    let upstream;
    try {
      upstream = await fetch(target, { method: 'POST', headers: request.headers, body, signal: controller.signal });
    } catch (err) {
      end({ model, error: String(err) });
      throw err;
    } finally {
      clearTimeout(timer);
    }
    const init = { status: upstream.status, headers: upstream.headers };
    if ((upstream.headers.get('content-type') ?? '').startsWith('text/event-stream') && upstream.body !== null) {
      return new Response(
        relayStream(upstream.body, (bytes) => end({ model, status: upstream.status, bytes })),
        init,
      );
    }
    let answer;
    try {
      answer = await upstream.arrayBuffer();
    } catch (err) {
      end({ model, status: upstream.status, error: String(err) });
      throw err;
    }
    utf8.decode(answer);
    end({ model, status: upstream.status, bytes: answer.byteLength });
    return new Response(answer, init);
  },
};
