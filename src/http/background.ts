/** Work that may outlive the response: handed to the runtime's waitUntil, so the request's context stays alive until it settles. */
import type { Context } from 'hono';
import type { AppEnv } from './context';

export function inBackground(c: Context<AppEnv>, work: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // no ExecutionContext (app.fetch called without one): the promise still runs
  }
}
