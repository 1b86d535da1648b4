import { sql } from 'drizzle-orm';
import pg from 'pg';
import { testDriver, type TestDatabase } from './test-database.js';

/**
 * Runs statements as a database superuser with triggers bypassed (session_replication_role = replica), as an
 * attacker with the database's keys would: a separate connection on PostgreSQL, the only role on PGlite.
 */
export async function asSuperuser(testDb: TestDatabase, stmts: string[]): Promise<void> {
  const all = ['SET session_replication_role = replica', ...stmts, 'SET session_replication_role = origin'];
  if (testDriver === 'pg') {
    const client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    try {
      for (const s of all) await client.query(s);
    } finally {
      await client.end();
    }
  } else {
    for (const s of all) await testDb.database.db.execute(sql.raw(s));
  }
}
