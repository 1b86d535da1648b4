import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { projectPath } from '../paths.js';
import { isDatabaseUnavailable } from './errors.js';
import { HostLocator, locatingClient, needsLocator } from './hosts.js';
import { openReplica, type Replica } from './replica.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** One typed handle for both drivers; a transaction (`tx`) is the same type, so repositories take either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  driver: 'pglite' | 'pg';
  /** Runs the committed migrations; safe when several instances start at once (advisory lock on pg). */
  migrate(): Promise<void>;
  /** True when the database answers and every migration in the folder has been applied. */
  ready(): Promise<{ reachable: boolean; migrated: boolean }>;
  /**
   * LISTEN on a channel for the life of the process. `onState(false)` says notifications may be missed
   * (the listening connection dropped; it reconnects by itself), `onState(true)` that they flow again.
   */
  listen(channel: string, onMessage: (payload: string) => void, onState: (up: boolean) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** The pool's connections (pg only; PGlite is one embedded session and has no pool), for /metrics. */
  poolStats?(): { total: number; idle: number; waiting: number; max: number };
  /** A read replica the public check may read from (DATABASE_REPLICA_URL), with its freshness. */
  replica?: Replica;
}

export interface DatabaseOptions {
  /** postgres://… selects the pg driver; otherwise PGlite. */
  url?: string;
  /** PGlite data folder; omitted means in memory. */
  dataDir?: string;
  /**
   * More PGlite options. The tests pass `loadDataDir` (a data folder migrated once per run, as a tarball) and
   * `pgliteWasmModule` (compiled once per worker), so each test file skips initdb and the migrations.
   */
  pglite?: Omit<PGliteOptions, 'dataDir'>;
  /**
   * An open PGlite to wrap instead of starting one: the tests keep their instances per worker and reset them
   * between files (test/support/test-database.ts), since starting one costs about a second of CPU.
   */
  pgliteClient?: PGlite;
  /** pg pool size; 10 keeps a 2-core machine busy without queueing in PostgreSQL. */
  poolSize?: number;
  applicationName?: string;
  /** postgres://… of a streaming replica for the public check (src/db/replica.ts); pg only. */
  replicaUrl?: string;
  /** The most a replica may lag before the public check reads the primary instead (REPLICA_MAX_LAG_MS). */
  replicaMaxLagMs?: number;
}

const migrationsFolder = projectPath('migrations');
// An arbitrary constant shared by every instance, so only one runs migrations at a time.
const MIGRATION_LOCK_KEY = 327_0001;

function journalCount(): number {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

async function readiness(db: Db): Promise<{ reachable: boolean; migrated: boolean }> {
  try {
    const rows = await db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`,
    );
    const n = Number((rows as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0);
    return { reachable: true, migrated: n >= journalCount() };
  } catch (err) {
    // Reachable but not migrated yet (schema "drizzle" missing) is still reachable.
    const code = (err as { code?: string }).code;
    return { reachable: code === '42P01' || code === '3F000', migrated: false };
  }
}

export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  if (options.url) {
    // A host list (or target_session_attrs) is resolved here, since pg connects to one host only (src/db/hosts.ts).
    const locator = needsLocator(options.url) ? new HostLocator(options.url) : undefined;
    const pool = new pg.Pool({
      connectionString: locator ? locator.baseUrl : options.url,
      ...(locator ? { Client: locatingClient(locator) } : {}),
      max: options.poolSize ?? 10,
      // Names the app's sessions in pg_stat_activity (operators, and the fault tests, find them by it).
      application_name: options.applicationName ?? 'wh327-api',
      // Fail fast while the server is down so requests answer 503 instead of hanging.
      connectionTimeoutMillis: 3000,
      // Every query the engine sends is short and planned anew; PostgreSQL's JIT compiled the sampling-ratio
      // count on each issuance and spent about a third of its CPU doing so at 10 M rows (docs/BENCHMARKS.md).
      options: '-c jit=off',
    });
    // A client killed by the server (restart, pg_terminate_backend) emits 'error'; unhandled, that would
    // crash the process. Idle clients report through the pool, checked-out ones through themselves; the
    // query in flight fails on its own and the request answers 503.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    // drizzle's pooled transaction leaks the client when BEGIN itself fails (a killed connection): the
    // release sits in a `finally` the BEGIN is outside of, and ten such faults would exhaust the pool for
    // good. So each transaction checks a client out here, runs drizzle's transaction on that one client,
    // and always gives it back (destroying it when its connection is broken).
    // One drizzle per pooled client, made on its first transaction and kept with it: building one reads the
    // whole schema's relations (extractTablesRelationalConfig), which cost ~1 ms of CPU on every transaction
    // (a tenth of a write's CPU in the year replay's profile). No command uses relational queries, so the
    // transaction's drizzle is built without the schema at all.
    const byClient = new WeakMap<pg.PoolClient, Db>();
    const transaction: Db['transaction'] = async (fn, config) => {
      const client = await pool.connect();
      let failure: Error | undefined;
      try {
        let tx = byClient.get(client);
        if (!tx) byClient.set(client, (tx = drizzlePg(client) as unknown as Db));
        return await tx.transaction(fn, config);
      } catch (err) {
        failure = err as Error;
        throw err;
      } finally {
        client.release(failure && isDatabaseUnavailable(failure) ? failure : undefined);
      }
    };
    db.transaction = transaction;
    const replica = options.replicaUrl ? openReplica(options.replicaUrl, { maxLagMs: options.replicaMaxLagMs ?? 5000, poolSize: options.poolSize ?? 10 }) : undefined;
    return {
      db,
      driver: 'pg',
      async migrate() {
        const client = await pool.connect();
        try {
          await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
          await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
          client.release();
        }
      },
      ready: () => readiness(db),
      listen: (channel, onMessage, onState) => listenPg(options.url!, channel, onMessage, onState, locator),
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: options.poolSize ?? 10 }),
      ...(replica ? { replica } : {}),
      async close() {
        await replica?.close();
        await pool.end();
      },
    };
  }
  // PGlite and its drizzle driver are loaded only for an embedded database: a server on PostgreSQL never
  // needs them, and their ~0.5 MB of JavaScript (with its compiled functions, and its ~1 MB of source maps
  // when source maps are on, as under tsx) would stay in memory for nothing.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([import('@electric-sql/pglite'), import('drizzle-orm/pglite'), import('drizzle-orm/pglite/migrator')]);
  const client = options.pgliteClient ?? new PGlite({ ...options.pglite, dataDir: options.dataDir });
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    async migrate() {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder });
    },
    ready: () => readiness(db),
    async listen(channel, onMessage, onState) {
      // One embedded session: its notifications are delivered to its own listeners after commit.
      const unlisten = await client.listen(channel, onMessage);
      onState(true);
      return () => unlisten();
    },
    close: () => client.close(),
  };
}

/** A dedicated LISTEN connection that reconnects with backoff and reports when it is up or down. */
async function listenPg(url: string, channel: string, onMessage: (payload: string) => void, onState: (up: boolean) => void, locator?: HostLocator) {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const again = (delay: number) => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect(Math.min(delay * 2, 5000));
    }, delay);
    retry.unref();
  };
  const connect = async (delay: number): Promise<void> => {
    if (stopped) return;
    // With a host list, the listener follows the primary too (notifications are sent on the primary only).
    const c = locator
      ? new (locatingClient(locator))({ connectionString: locator.baseUrl, application_name: 'wh327-listen' })
      : new pg.Client({ connectionString: url, application_name: 'wh327-listen' });
    c.on('notification', (msg) => {
      if (msg.channel === channel && msg.payload !== undefined) onMessage(msg.payload);
    });
    c.on('error', () => {});
    c.on('end', () => {
      if (client === c) client = undefined;
      onState(false);
      again(delay);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      client = c;
      onState(true);
    } catch {
      onState(false);
      await c.end().catch(() => {});
      again(delay);
    }
  };
  await connect(100);
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}
