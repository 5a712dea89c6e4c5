/**
 * setupFiles of the `integration` project, run inside workerd before each test file: applies
 * migrations/ to the local D1 `DB` (applyD1Migrations skips those already applied), so every
 * test sees the team registry's schema as `wrangler d1 migrations apply` would create it.
 */
import { applyD1Migrations, type D1Migration } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

declare global {
  namespace Cloudflare {
    interface Env {
      /** migrations/, read in Node by vitest.config.ts. */
      readonly TEST_MIGRATIONS: D1Migration[];
      /** A second local D1, left empty, for the migrations test. */
      readonly EMPTY_DB: D1Database;
      /** A third local D1, migrated by the test that uses it, never given a team. */
      readonly NO_TEAMS_DB: D1Database;
    }
  }
}

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
