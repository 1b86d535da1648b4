import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/client.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the PostgreSQL server, or null when it is unreachable (suite skipped). */
    pgAdminUrl: string | null;
    /** Name of the migrated template each test file copies. */
    pgTemplate: string;
  }
}

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Migrates a template database once; each test file then gets its own copy (immich's pattern). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const adminUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    if (process.env.CI === 'true') {
      throw new Error(`PostgreSQL is required under CI but ${adminUrl} is unreachable: ${(err as Error).message}`);
    }
    console.warn(
      `\n⚠ PostgreSQL suite SKIPPED: ${adminUrl} is unreachable (${(err as Error).message}).\n` +
        '  Start the server or set TEST_DATABASE_URL to run it; under CI=true this fails instead.\n',
    );
    project.provide('pgAdminUrl', null);
    project.provide('pgTemplate', '');
    return async () => {};
  }
  const template = `wh327_tmpl_${process.pid}`;
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  const database = await openDatabase({ url: withDatabase(adminUrl, template), poolSize: 1 });
  await database.migrate();
  await database.close();
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', template);
  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    // Copies left behind by a crashed worker.
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'wh327_t${process.pid}_%'`);
    for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    await admin.end();
  };
}
