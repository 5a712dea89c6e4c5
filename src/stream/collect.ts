/**
 * Reads a byte stream into one buffer, bounded: nothing is ever held beyond the cap asked for. A
 * body whose length is declared within the cap, uncompressed, is read in one native call (the
 * framing of its message allows no more); any other is read chunk by chunk.
 */

export interface Collected {
  /** At most maxBytes bytes, from the start of the stream. */
  readonly bytes: Uint8Array;
  /** True when the stream held more than maxBytes: the rest was cancelled, unread. */
  readonly truncated: boolean;
}

async function collect(stream: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Collected> {
  if (stream === null) return { bytes: new Uint8Array(), truncated: false };
  const chunks: Uint8Array[] = [];
  let total = 0;
  let truncated = false;
  const reader = stream.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    const room = maxBytes - total;
    if (read.value.byteLength > room) {
      if (room > 0) chunks.push(read.value.subarray(0, room));
      total += Math.max(0, room);
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(read.value);
    total += read.value.byteLength;
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, truncated };
}

/** The length a message declares for its body as it will be read: null when unknown, or when it is compressed (it is read decompressed). */
export function declaredLength(headers: Headers): number | null {
  const encoding = headers.get('content-encoding');
  if (encoding !== null && encoding !== 'identity') return null;
  const length = headers.get('content-length');
  return length !== null && /^\d+$/.test(length) ? Number(length) : null;
}

/** The body of a request or a response, bounded like collect(). */
export async function collectBody(message: Request | Response, maxBytes: number): Promise<Collected> {
  const declared = declaredLength(message.headers);
  if (declared === null || declared > maxBytes) return collect(message.body, maxBytes);
  const bytes = new Uint8Array(await message.arrayBuffer());
  return bytes.byteLength > maxBytes ? { bytes: bytes.subarray(0, maxBytes), truncated: true } : { bytes, truncated: false };
}
