/**
 * A body passed through as it is, with the idle cap of every relayed body: when the upstream
 * sends nothing for idleMs, the upstream is cancelled and the client's body errors (a raw body
 * has no terminal event to end it with). Backpressure holds: it reads only when the client pulls.
 */
export function withIdleTimeout(body: ReadableStream<Uint8Array>, idleMs: number, explain: (cause: string) => string): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timer: ReturnType<typeof setTimeout> | null = null;
      const idle = new Promise<'idle'>((resolve) => {
        timer = setTimeout(() => {
          resolve('idle');
        }, idleMs);
      });
      try {
        const result = await Promise.race([reader.read(), idle]);
        if (result === 'idle') {
          await reader.cancel().catch(() => undefined);
          controller.error(new Error(explain(`the upstream sent nothing for ${idleMs} ms`)));
        } else if (result.done) controller.close();
        else controller.enqueue(result.value);
      } catch (err) {
        controller.error(err);
      } finally {
        clearTimeout(timer);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
