/**
 * Keeps what a running request holds from expiring: a renewal in the background every period,
 * bounded in number, until the request ends (teams/requests.ts renews a concurrency lease).
 */
import type { Background } from './ticket';

/**
 * Runs `renew` in the background every `everyMs`, at most `forMs / everyMs` times, until the
 * returned stop is called: keeps what a request holds (a concurrency lease) from expiring while
 * the request runs. A failed renewal is left to the next one.
 */
export function renewWhileRunning(
  renew: () => Promise<unknown>,
  timing: { readonly everyMs: number; readonly forMs: number },
  background: Background,
): () => void {
  // A period that is no number (a version skew sending no lease term) renews nothing: never a tight loop.
  if (!Number.isFinite(timing.everyMs) || timing.everyMs <= 0) return () => undefined;
  let left = Math.floor(timing.forMs / timing.everyMs);
  if (left <= 0) return () => undefined;
  const timer = setInterval(() => {
    left -= 1;
    if (left === 0) clearInterval(timer);
    background(renew().catch(() => undefined));
  }, timing.everyMs);
  return () => {
    clearInterval(timer);
  };
}
