import { defineConfig } from 'vitest/config';

/**
 * Four projects: unit tests (no database); the integration suite twice — once on PGlite and once on
 * PostgreSQL (TEST_DATABASE_URL, default the local server), the latter with the PostgreSQL-only
 * concurrency and fault tests of test/postgres/; and the browser tests in Debian's Chromium. Outside CI a
 * missing PostgreSQL server or Chromium skips its project with a visible message; under CI=true it fails.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: two workers keep both busy without PGlite instances fighting over memory.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'pglite', include: ['test/integration/**/*.test.ts'], env: { TEST_DB: 'pglite' } },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/integration/**/*.test.ts', 'test/postgres/**/*.test.ts'],
          env: { TEST_DB: 'pg' },
          globalSetup: ['test/support/postgres-global-setup.ts'],
        },
      },
      // The console and the portal in Debian's Chromium (playwright-core), against the app on PGlite.
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], env: { TEST_DB: 'pglite' } } },
    ],
  },
});
