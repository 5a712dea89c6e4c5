/** Work that may outlive the response (a last-used write, a health report): handed to waitUntil. */
import type { Context } from 'hono';
import type { AppEnv } from './context';

export function background(c: Context<AppEnv>): (work: Promise<unknown>) => void {
  return (work) => {
    try {
      c.executionCtx.waitUntil(work);
    } catch {
      // no ExecutionContext (app.fetch called without one): the promise still runs
    }
  };
}
