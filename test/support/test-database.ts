import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { leasePglite } from './pglite-pool.js';

export type TestDriver = 'pglite' | 'pg';
export const testDriver: TestDriver = process.env.TEST_DB === 'pg' ? 'pg' : 'pglite';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export function pgAvailable(): boolean {
  return testDriver === 'pg' && Boolean(inject('pgAdminUrl'));
}

/**
 * `describe` for integration suites: runs on the current project's database, and is skipped (with the
 * global setup's visible message) when the PostgreSQL project has no server outside CI.
 */
export const describeDb: typeof describe = ((name: string, fn: () => void) =>
  testDriver === 'pg' && !inject('pgAdminUrl') ? describe.skip(name, fn) : describe(`${name} [${testDriver}]`, fn)) as typeof describe;

/** PostgreSQL-only suites (real concurrency); PGlite serialises transactions so they mean nothing there. */
export const describePg: typeof describe = ((name: string, fn: () => void) =>
  pgAvailable() ? describe(`${name} [pg]`, fn) : describe.skip(name, fn)) as typeof describe;

export interface TestDatabase {
  database: Database;
  /** Connection URL (pg only), for a second app instance or a superuser client. */
  url?: string;
  drop(): Promise<void>;
}

const LOCK_KEY = 327_0099;

interface PgliteAssets {
  snapshot: Blob;
  wasm: WebAssembly.Module;
}
// Per worker process: the migrated snapshot read once and pglite.wasm compiled once (the workers run
// several files each; see vitest.config.ts). On globalThis because a per-file module registry would lose it.
const ASSETS = Symbol.for('wh327.pgliteAssets');
const store = globalThis as { [ASSETS]?: Promise<PgliteAssets> };

async function loadPgliteAssets(snapshotFile: string): Promise<PgliteAssets> {
  const wasmFile = join(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), 'pglite.wasm');
  const [snapshot, wasm] = await Promise.all([
    readFile(snapshotFile).then((b) => new Blob([new Uint8Array(b)])),
    readFile(wasmFile).then((b) => WebAssembly.compile(new Uint8Array(b))),
  ]);
  return { snapshot, wasm };
}

async function openPglite(): Promise<TestDatabase> {
  const snapshotFile = inject('pgliteSnapshot');
  if (!snapshotFile) {
    // A project without the PGlite global setup: boot and migrate here.
    const database = await openDatabase();
    await database.migrate();
    return { database, drop: () => database.close() };
  }
  const assets = await (store[ASSETS] ??= loadPgliteAssets(snapshotFile));
  const lease = await leasePglite({ loadDataDir: assets.snapshot, pgliteWasmModule: assets.wasm });
  const database = await openDatabase({ pgliteClient: lease.client });
  // Dropping gives the instance back to the worker's pool, reset to the snapshot (test/support/pglite-pool.ts).
  return { database, drop: () => lease.release() };
}

/** Copies the migrated template under a fresh name; returns the name. */
async function copyTemplate(adminUrl: string, template: string): Promise<string> {
  const name = `wh327_t${process.ppid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // CREATE DATABASE … TEMPLATE needs the template to itself; workers take turns.
    await admin.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    // A test database is thrown away after its file: commits need not wait for the WAL to reach the disk
    // (a crash loses the last commits, never consistency), which spares the server an fsync per transaction.
    await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    await admin.end();
  }
  return name;
}

// Per worker process (on globalThis, like the PGlite pool): the next copy, made while the current file runs.
// Copying the template (~10 MB, written through the WAL) took 0.2–0.5 s of waiting per database on an idle
// machine and 1–2 s under load, on the path of every file's beforeAll; it is now made ahead, so a file waits only
// if it asks for a second database before the copy is done. A copy still serves exactly one database: nothing
// has connected to it before the file that takes it. The one left unclaimed when the worker exits is dropped
// by the project's teardown (postgres-global-setup.ts drops every wh327_t<pid>_ copy).
const NEXT_COPY = Symbol.for('wh327.nextPgCopy');
const copyStore = globalThis as { [NEXT_COPY]?: { key: string; name: Promise<string | null> } };

async function takeCopy(adminUrl: string, template: string): Promise<string> {
  const key = `${adminUrl}|${template}`;
  const ahead = copyStore[NEXT_COPY];
  delete copyStore[NEXT_COPY];
  const name = (ahead?.key === key ? await ahead.name : null) ?? (await copyTemplate(adminUrl, template));
  // A failed copy ahead is not this file's failure: the next file copies for itself, and reports any error.
  copyStore[NEXT_COPY] = { key, name: copyTemplate(adminUrl, template).catch(() => null) };
  return name;
}

/** A fresh, migrated database for one test file: a PGlite in memory, or a copy of the pg template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDriver === 'pglite') return openPglite();
  const adminUrl = inject('pgAdminUrl');
  if (!adminUrl) throw new Error('PostgreSQL unavailable');
  const name = await takeCopy(adminUrl, inject('pgTemplate'));
  const url = withDatabase(adminUrl, name);
  const database = await openDatabase({ url, poolSize: 10 });
  return {
    database,
    url,
    async drop() {
      await database.close();
      dropInBackground(adminUrl, name);
    },
  };
}

// DROP DATABASE makes the server run a checkpoint and waits for it (PostgreSQL 15's dropdb): 0.1–0.3 s on an
// idle machine, seconds while anything else writes, and a file's afterAll waited for all of it. Nothing reads a
// dropped copy again (every file creates its own, under a random name), so the worker no longer waits: the
// DROP runs on its own connection while the next file starts, concurrent drops share one checkpoint, and the
// project's teardown (postgres-global-setup.ts) drops any copy whose DROP had not finished when the worker
// exited. Its errors are not the test's: a copy that fails to drop is left to that teardown too.
function dropInBackground(adminUrl: string, name: string): void {
  const a = new pg.Client({ connectionString: adminUrl });
  a.on('error', () => {});
  void a
    .connect()
    .then(() => a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
    .catch(() => {})
    .finally(() => a.end().catch(() => {}));
}
