/**
 * A body passed on as it is, with one call of onEnd when it is over: read to its end, broken
 * (failed), or left by the client (cancelled, or the request signal aborted: workerd may stop
 * pulling without cancelling). Reads only as fast as the client pulls.
 */
export function whenEnded(body: ReadableStream<Uint8Array>, client: AbortSignal, onEnd: (failed: boolean) => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let over = false;
  const finish = (failed: boolean): void => {
    if (over) return;
    over = true;
    client.removeEventListener('abort', gone);
    onEnd(failed);
  };
  function gone(): void {
    finish(false);
  }
  client.addEventListener('abort', gone);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const read = await reader.read();
        if (read.done) {
          controller.close();
          finish(false);
        } else controller.enqueue(read.value);
      } catch (err) {
        controller.error(err);
        finish(true);
      }
    },
    cancel(reason) {
      finish(false);
      return reader.cancel(reason);
    },
  });
}
