/**
 * Types for the workerd-side tests: `env` (from `cloudflare:workers` / `cloudflare:test`) is
 * the Worker's own Env (src/env.ts) — the bindings from wrangler.toml plus those set in
 * vitest.config.ts — and `exports.default` is the Worker's default export (src/index.ts).
 * A .ts file rather than a .d.ts so that skipLibCheck does not hide mistakes in it.
 */
import type { Env as WorkerEnv } from '../../src/config/env';

declare global {
  namespace Cloudflare {
    /**
     * The tests run the `hosted` environment of wrangler.toml, so the team registry is always
     * bound; vitest.config.ts adds the single-upstream mode's request store.
     */
    interface Env extends WorkerEnv {
      readonly DB: D1Database;
      readonly REQUESTS: D1Database;
    }
    interface GlobalProps {
      mainModule: typeof import('../../src/index');
    }
  }
}
