/**
 * The benchmark's client: keep-alive connections (undici, as most SDK-based clients), `concurrency`
 * requests in flight until `requests` have been answered, each read to its end. No
 * Accept-Encoding: what is measured is the Worker, not Miniflare's gzip in front of it.
 */
import { Agent, request } from 'undici';

export interface Sample {
  /** ms to the first body byte. */
  readonly ttfb: number;
  /** ms to the last body byte. */
  readonly total: number;
  readonly bytes: number;
}

export interface Load {
  readonly samples: Sample[];
  readonly seconds: number;
}

export interface Call {
  /** Ends in /v1. */
  readonly baseUrl: string;
  /** After the base URL, e.g. '/responses'. */
  readonly path: string;
  readonly body: string;
  /** A string the whole answer must hold; otherwise the run fails (a benchmark of broken answers is worth nothing). */
  readonly completeWhen: string;
}

/** One request, its body read to the end and scanned for `completeWhen` chunk by chunk (without keeping it). */
export async function once(dispatcher: Agent, call: Call): Promise<Sample> {
  const started = performance.now();
  const response = await request(call.baseUrl + call.path, {
    method: 'POST',
    dispatcher,
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
    body: call.body,
  });
  const marker = Buffer.from(call.completeWhen);
  let ttfb = 0;
  let bytes = 0;
  let complete = false;
  let tail = Buffer.alloc(0);
  let head = '';
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    if (bytes === 0) ttfb = performance.now() - started;
    bytes += chunk.byteLength;
    if (head.length < 300) head += chunk.toString('utf8', 0, 300);
    if (!complete) {
      // The marker may straddle two chunks: also look where the last one's end meets this one's start.
      complete = chunk.includes(marker) || Buffer.concat([tail, chunk.subarray(0, marker.byteLength - 1)]).includes(marker);
      const keep = marker.byteLength - 1;
      tail = Buffer.from(chunk.byteLength >= keep ? chunk.subarray(chunk.byteLength - keep) : Buffer.concat([tail, chunk]).subarray(-keep));
    }
  }
  if (response.statusCode !== 200 || !complete) {
    throw new Error(`${call.baseUrl}${call.path} answered ${response.statusCode} without ${call.completeWhen}: ${head.slice(0, 300)}`);
  }
  return { ttfb, total: performance.now() - started, bytes };
}

/** Opens a connection (or reuses one): `GET /models`, which every path answers cheaply (the gateway and the floor from upstream). */
async function ping(dispatcher: Agent, baseUrl: string): Promise<void> {
  const response = await request(`${baseUrl}/models`, { dispatcher });
  await response.body.dump();
  if (response.statusCode !== 200) throw new Error(`GET /models answered ${response.statusCode}`);
}

/** A pool of `concurrency` keep-alive connections to `baseUrl`, each opened by a cheap request (not measured) before `measure` runs. */
export async function withConnections<T>(concurrency: number, baseUrl: string, measure: (dispatcher: Agent) => Promise<T>): Promise<T> {
  const dispatcher = new Agent({ connections: concurrency, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 30_000 });
  try {
    await Promise.all(Array.from({ length: concurrency }, () => ping(dispatcher, baseUrl)));
    return await measure(dispatcher);
  } finally {
    await dispatcher.close();
  }
}

/** `requests` requests, `concurrency` at a time, on the given pool. */
export async function load(dispatcher: Agent, call: Call, concurrency: number, requests: number): Promise<Load> {
  const samples: Sample[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < requests) {
      next += 1;
      samples.push(await once(dispatcher, call));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { samples, seconds: (performance.now() - started) / 1000 };
}
