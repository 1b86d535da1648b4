import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/client.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A tarball of a PGlite data folder with every migration applied; each test file loads its own copy. */
    pgliteSnapshot: string;
  }
}

/**
 * Boots PGlite and migrates it ONCE per run, then dumps the data folder. Booting (initdb) and migrating
 * afresh in every test file cost several seconds each; loading the dump skips both, and every file still
 * gets a database of its own. Uncompressed: gunzip in every file would cost more than the disk it saves.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'wh327-pglite-'));
  const file = join(dir, 'migrated.tar');
  const database = await openDatabase();
  try {
    await database.migrate();
    const client = (database.db as unknown as { $client: PGlite }).$client;
    // The app uses the `postgres` database only: without template0 and template1 the folder is a third
    // smaller and each file's copy starts ~0.1 s sooner (PGlite reads every file of the folder at start).
    await client.exec("UPDATE pg_database SET datistemplate = false WHERE datname IN ('template0', 'template1')");
    await client.exec('DROP DATABASE template0');
    await client.exec('DROP DATABASE template1');
    await client.exec('CHECKPOINT');
    const tarball = await client.dumpDataDir('none');
    await writeFile(file, new Uint8Array(await tarball.arrayBuffer()));
  } finally {
    await database.close();
  }
  project.provide('pgliteSnapshot', file);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
