/**
 * Gzip bombs: small gzip bodies that expand to `expandedBytes` of JSON-ish or SSE-ish
 * text (an envelope around one huge run of spaces). Compressed once per (size, filler)
 * by node:zlib, streaming, off the main thread, and cached as a Promise; deflate's
 * ~1030:1 ceiling on a run of one byte gives about 509 KiB for 512 MiB.
 */
import { constants, createGzip } from 'node:zlib';

/** `json-error`: an OpenAI error whose message is the spaces; `json-ok`: a Responses object whose text is; `sse`: one delta event whose data line is. */
export type BombFiller = 'json-error' | 'json-ok' | 'sse';

const ENVELOPES: Readonly<Record<BombFiller, readonly [string, string]>> = {
  'json-error': ['{"error":{"message":"', '","type":"server_error","param":null,"code":null}}'],
  'json-ok': [
    '{"id":"resp_bomb","object":"response","status":"completed","model":"gpt-test","output":[{"type":"message","id":"msg_bomb","role":"assistant","status":"completed","content":[{"type":"output_text","annotations":[],"text":"',
    '"}]}]}',
  ],
  sse: [
    'event: response.output_text.delta\ndata: ' +
      '{"type":"response.output_text.delta","sequence_number":0,"item_id":"msg_bomb","output_index":0,"content_index":0,"delta":"',
    '","logprobs":[]}\n\n',
  ],
};

const CHUNK = Buffer.alloc(1 << 20, 0x20);
const cache = new Map<string, Promise<Buffer>>();

/** The gzip body for `expandedBytes` of `filler` (exactly that many bytes once gunzipped); generated on first use, then cached. */
export function gzipBomb(expandedBytes: number, filler: BombFiller): Promise<Buffer> {
  const key = `${filler}:${expandedBytes}`;
  let bytes = cache.get(key);
  if (bytes === undefined) {
    bytes = compress(expandedBytes, filler);
    cache.set(key, bytes);
    bytes.catch(() => cache.delete(key));
  }
  return bytes;
}

/** Which filler a gzip-bomb fault gets: SSE-ish for an event-stream content type, else JSON-ish (an error for status >= 400). */
export function bombFiller(status: number, contentType: string): BombFiller {
  if (/event-stream/i.test(contentType)) return 'sse';
  return status >= 400 ? 'json-error' : 'json-ok';
}

function compress(expandedBytes: number, filler: BombFiller): Promise<Buffer> {
  const head = Buffer.from(ENVELOPES[filler][0]);
  const tail = Buffer.from(ENVELOPES[filler][1]);
  // Shorter than the envelope: the envelope's first expandedBytes bytes.
  const short = expandedBytes < head.length + tail.length ? Buffer.concat([head, tail]).subarray(0, expandedBytes) : undefined;
  let spaces = short === undefined ? expandedBytes - head.length - tail.length : 0;
  return new Promise((resolve, reject) => {
    const gzip = createGzip({ level: constants.Z_BEST_COMPRESSION, memLevel: 9 });
    const out: Buffer[] = [];
    gzip.on('data', (chunk: Buffer) => out.push(chunk));
    gzip.once('end', () => resolve(Buffer.concat(out)));
    gzip.once('error', reject);
    if (short !== undefined) {
      gzip.end(short);
      return;
    }
    gzip.write(head);
    const pump = (): void => {
      while (spaces > 0) {
        const n = Math.min(spaces, CHUNK.length);
        spaces -= n;
        if (!gzip.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) {
          gzip.once('drain', pump);
          return;
        }
      }
      gzip.end(tail);
    };
    pump();
  });
}
