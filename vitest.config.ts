import { defineConfig } from 'vitest/config';

/**
 * Five projects: unit tests (no database, no child process: the quick loop while editing); the tests that
 * run another program (the verify-code CLI, pdftotext) in `process`; the integration suite twice — once on
 * PGlite and once on PostgreSQL (TEST_DATABASE_URL, default the local server), the latter with the
 * PostgreSQL-only concurrency and fault tests of test/postgres/; and the browser tests in Debian's
 * Chromium. Outside CI a missing PostgreSQL server or Chromium skips its project with a visible message;
 * under CI=true it fails.
 *
 * Every integration file still gets a database of its own: PGlite loads a data folder migrated once per
 * run (test/support/pglite-global-setup.ts), and a worker keeps its instances, reset to that snapshot, for
 * the next file (test/support/pglite-pool.ts); PostgreSQL copies a migrated template. Because no test file
 * shares state through a module (they share nothing but the read-only snapshot and the compiled
 * pglite.wasm, kept per worker), the database projects run without per-file isolation: a worker process
 * runs file after file instead of a new process loading fastify, drizzle and PGlite for each one.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: two workers keep both busy without PGlite instances fighting over memory.
    maxWorkers: 2,
    // @fastify/autoload imports the route files (src/routes/index.ts); run through vitest, its import() must go
    // through vitest's module runner (TypeScript, and the same module instances as the test), not Node's loader.
    server: { deps: { inline: ['@fastify/autoload'] } },
    // VITEST_CPU_LOG=<file> records each file's CPU seconds in its worker, VITEST_CPU_PROF=<folder> its CPU profile
    // (test/support/cpu-per-file.ts).
    setupFiles: process.env.VITEST_CPU_LOG || process.env.VITEST_CPU_PROF ? ['test/support/cpu-per-file.ts'] : [],
    projects: [
      // Unit tests share no mutable module state, so one module graph per worker serves them all (isolate: false
      // halves the project's time; a shuffled run keeps passing).
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false } },
      { extends: true, test: { name: 'process', include: ['test/process/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'pglite',
          include: ['test/integration/**/*.test.ts'],
          env: { TEST_DB: 'pglite' },
          globalSetup: ['test/support/pglite-global-setup.ts'],
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/integration/**/*.test.ts', 'test/postgres/**/*.test.ts'],
          // The model-based tests walk every machine's paths through the API on the embedded database (issue 25);
          // what they check is the machines and the routes, which do not differ between the two databases.
          exclude: ['test/integration/model/**'],
          env: { TEST_DB: 'pg' },
          globalSetup: ['test/support/postgres-global-setup.ts'],
          isolate: false,
        },
      },
      // The console and the portal in Debian's Chromium (playwright-core), against the app on PGlite. Like the
      // database projects, without per-file isolation: a worker loads the app's modules, compiles its schemas and
      // starts Chromium once (test/browser/browser-support.ts openBrowser), and each file opens its own app,
      // database and browser context.
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          env: { TEST_DB: 'pglite' },
          globalSetup: ['test/support/pglite-global-setup.ts'],
          isolate: false,
        },
      },
    ],
  },
});
