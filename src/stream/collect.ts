/** Reads a whole byte stream into one buffer; `onChunk` sees the running total and may throw to stop (the stream is then cancelled). */
export async function collect(stream: ReadableStream<Uint8Array> | null, onChunk: (total: number) => void = () => undefined): Promise<Uint8Array> {
  if (stream === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    chunks.push(read.value);
    total += read.value.byteLength;
    try {
      onChunk(total);
    } catch (err) {
      await reader.cancel().catch(() => undefined);
      throw err;
    }
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
