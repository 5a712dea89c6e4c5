/**
 * Three vitest projects, one config:
 *   unit        — Node, test/unit: pure modules of src/ (and of simulator/, scripts/), fast.
 *   integration — inside workerd (the @cloudflare/vitest-pool-workers plugin), test/integration:
 *                 the Worker from wrangler.toml with its compatibility date/flags (the pool adds
 *                 nodejs_compat to the test isolate on its own; e2e runs the real build without
 *                 it); a Node upstream started by test/support/integration-setup.ts, by URL.
 *   e2e         — Node, test/e2e: real processes and ports (built Worker under Miniflare via
 *                 scripts/lib/gateway.ts, simulator, real clients); one file at a time.
 * Run one with `npx vitest run --project <name>`.
 */
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The Worker logs one line per request: show console output only for failing tests.
    silent: 'passed-only',
    projects: [
      {
        // A .sql file a Worker module imports is its text, as wrangler bundles it (its default
        // module rule for **/*.sql; the integration pool applies that rule itself).
        plugins: [{ name: 'sql-as-text', transform: (code: string, id: string) => (id.endsWith('.sql') ? `export default ${JSON.stringify(code)};` : null) }],
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        plugins: [
          // Options are resolved after globalSetup ran, so the upstream URL is known here.
          cloudflareTest(async ({ inject }) => ({
            // The hosted environment: single-upstream and team mode, with the local D1 registry.
            wrangler: { configPath: './wrangler.toml', environment: 'hosted' },
            miniflare: {
              // Bindings of the Worker behind `exports.default` / SELF. Tests that call the
              // worker module directly pass their own env per request instead.
              // TEST_MIGRATIONS: migrations/ for test/integration/apply-migrations.ts, which
              // applies them to the (empty) local D1 `DB` from wrangler.toml; EMPTY_DB is a
              // second, untouched database for the migrations test; NO_TEAMS_DB a registry that
              // never holds a team (test/integration/configuration.test.ts); REQUESTS the
              // single-upstream mode's request store (wrangler.toml's top level), left empty
              // like a freshly provisioned one (test/integration/admin/single-upstream.test.ts).
              bindings: { UPSTREAM_BASE_URL: inject('upstreamBaseUrl'), TEST_MIGRATIONS: await readD1Migrations('migrations') },
              d1Databases: ['EMPTY_DB', 'NO_TEAMS_DB', 'REQUESTS'],
            },
          })),
        ],
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/integration-setup.ts'],
          setupFiles: ['test/integration/apply-migrations.ts'],
          // One simulator serves every file, and tests script its fault queue: one file at a time.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          // Installs Debian's chromium for the browser tests when it is missing (as root).
          globalSetup: ['test/e2e/global-setup.ts'],
          // Files start processes and bind ports: run them one after another.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
