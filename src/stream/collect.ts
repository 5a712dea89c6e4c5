/** Reads a byte stream into one buffer, bounded: nothing is ever held beyond the cap asked for. */

export interface Collected {
  /** At most maxBytes bytes, from the start of the stream. */
  readonly bytes: Uint8Array;
  /** True when the stream held more than maxBytes: the rest was cancelled, unread. */
  readonly truncated: boolean;
}

export async function collect(stream: ReadableStream<Uint8Array> | null, maxBytes = Number.POSITIVE_INFINITY): Promise<Collected> {
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
