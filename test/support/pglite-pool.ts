import { PGlite, types, type Transaction } from '@electric-sql/pglite';

/**
 * PGlite instances kept per worker process and handed to one test file after another. Starting an instance
 * from the migrated snapshot costs about a second of CPU (the wasm instance, postgres's start-up, reading the
 * data folder), and the suite opens some two hundred databases; putting a used instance back the way the
 * snapshot left it costs a few milliseconds. So each file still gets a database holding exactly what a fresh
 * one holds — every row deleted, the rows the migrations wrote put back, every sequence where it was, the
 * session's settings, locks, prepared statements and listeners discarded — and any instance whose catalogue a
 * file may have changed (any CREATE, ALTER, DROP, GRANT, REVOKE or write to a pg_ table: a tamper test's
 * superuser, a renamed table) is closed instead of reused, as is one left inside a transaction.
 *
 * TEST_PGLITE_REUSE=0 opens a fresh instance for every database, for comparison.
 */

/** What a freshly loaded snapshot holds that a reset must put back. */
interface Pristine {
  /** Every user table, schema-qualified and quoted. */
  tables: string[];
  /** The tables the migrations wrote rows into, with those rows as JSON. */
  seeds: { table: string; columns: string; rows: string }[];
  /** One `SELECT setval(…), …` putting every sequence back. */
  sequences: string;
}

interface Pool {
  idle: PGlite[];
  pristine?: Pristine;
  /** Opened from the snapshot, handed out again after a reset, closed instead of reused (for VITEST_CPU_LOG). */
  counts: { opened: number; reused: number; discarded: number; resetCpu: number };
}

// On globalThis: each test file has its own module registry, the worker process is what they share.
const POOL = Symbol.for('wh327.pglitePool');
const store = globalThis as { [POOL]?: Pool };
export const pglitePool = (): Pool => (store[POOL] ??= { idle: [], counts: { opened: 0, reused: 0, discarded: 0, resetCpu: 0 } });

/** Two instances at most wait between files: a file rarely holds more than one database at a time. */
const MAX_IDLE = 2;
const reuse = process.env.TEST_PGLITE_REUSE !== '0';

/**
 * SQL that may change the catalogue or the roles, which a reset does not undo. Matching more than that (a word
 * inside a string literal) only costs a fresh instance for the next file.
 */
const CATALOGUE_CHANGE = /\b(create|alter|drop|grant|revoke|comment\s+on|security\s+label|import\s+foreign|reassign)\b|\b(insert\s+into|update|delete\s+from)\s+(pg_catalog\s*\.\s*)?"?pg_/i;

/** One file's use of an instance. */
interface Lease {
  client: PGlite;
  revoked: boolean;
  tainted: boolean;
  closed: boolean;
  unlisten: Set<() => Promise<void>>;
}

async function capturePristine(client: PGlite): Promise<Pristine> {
  const { rows: tables } = await client.query<{ t: string; cols: string }>(`
    SELECT format('%I.%I', n.nspname, c.relname) AS t,
           (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') AS cols
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
     ORDER BY 1`);
  const seeds: Pristine['seeds'] = [];
  for (const { t, cols } of tables) {
    const { rows } = await client.query<{ rows: string | null }>(`SELECT json_agg(x)::text AS rows FROM ${t} x`);
    if (rows[0]?.rows) seeds.push({ table: t, columns: cols, rows: rows[0].rows });
  }
  const { rows: seqs } = await client.query<{ s: string }>(`
    SELECT format('setval(%L, %s, %s)', format('%I.%I', schemaname, sequencename), coalesce(last_value, start_value), (last_value IS NOT NULL)::text) AS s
      FROM pg_sequences`);
  return { tables: tables.map((r) => r.t), seeds, sequences: seqs.length ? `SELECT ${seqs.map((r) => r.s).join(', ')}` : '' };
}

/** Puts a used instance back the way the snapshot left it. */
async function reset(client: PGlite, p: Pristine): Promise<void> {
  await client.transaction(async (tx) => {
    // As a superuser restoring data: no trigger fires (the audit tables refuse DELETE), no foreign key is checked.
    await tx.exec(`SET LOCAL session_replication_role = replica; ${p.tables.map((t) => `DELETE FROM ${t};`).join(' ')}`);
    for (const s of p.seeds) {
      await tx.query(`INSERT INTO ${s.table} (${s.columns}) OVERRIDING SYSTEM VALUE SELECT ${s.columns} FROM json_populate_recordset(NULL::${s.table}, $1)`, [s.rows]);
    }
    if (p.sequences) await tx.exec(p.sequences);
  });
  // Settings, advisory locks, prepared statements, cursors, temporary tables, LISTENs.
  await client.exec('DISCARD ALL');
}

function checked(lease: Lease, sql: unknown): void {
  if (lease.revoked) throw new Error('This test database was dropped at the end of its file; the instance now serves another.');
  if (typeof sql === 'string' && CATALOGUE_CHANGE.test(sql)) lease.tainted = true;
  else if (Array.isArray(sql) && CATALOGUE_CHANGE.test(sql.join(' '))) lease.tainted = true;
}

/**
 * drizzle-orm passes these parsers with every query: timestamps, dates, intervals and their arrays kept as the
 * text PostgreSQL sends. PGlite merges a query's parsers into a copy of its own (~320 of them, one per array type)
 * on every query, about as much CPU as running a small query; so the test instances carry drizzle's text
 * parsers themselves, and a query bringing exactly these is sent without them — the same rows come back. Nothing
 * else queries these instances (the reset below reads no timestamps).
 */
const TEXT_TYPES = [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182];
const asText = (value: string) => value;
const probed = new WeakSet<object>();

function keepsText(parsers: Record<string, (value: string, typeId: number) => unknown>): boolean {
  if (probed.has(parsers)) return true;
  const keys = Object.keys(parsers);
  const same = keys.length === TEXT_TYPES.length && TEXT_TYPES.every((t) => parsers[t]?.('\u0000probe', t) === '\u0000probe');
  if (same) probed.add(parsers);
  return same;
}

type QueryArgs = [sql: string, params?: unknown[], options?: { parsers?: Record<string, (value: string, typeId: number) => unknown> }];
function withoutTextParsers(args: unknown[]): unknown[] {
  const [sql, params, options] = args as QueryArgs;
  if (!options?.parsers || !keepsText(options.parsers)) return args;
  const { parsers: _, ...rest } = options;
  return [sql, params, rest];
}

/** The transaction handle PGlite passes to a callback, with the same checks. */
function guardTx(lease: Lease, tx: Transaction): Transaction {
  return new Proxy(tx, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        checked(lease, prop === 'query' || prop === 'exec' || prop === 'sql' ? args[0] : undefined);
        return (v as (...a: unknown[]) => unknown).apply(target, prop === 'query' ? withoutTextParsers(args) : args);
      };
    },
  });
}

/**
 * The instance as one file sees it: every statement is looked at for catalogue changes, listeners are
 * remembered so the drop can remove them, and once dropped every call fails (a stray timer of a closed app
 * must not write into the next file's database).
 */
function guard(lease: Lease): PGlite {
  return new Proxy(lease.client, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') return v;
      const f = v as (...a: unknown[]) => unknown;
      switch (prop) {
        case 'query':
          return (...args: unknown[]) => {
            checked(lease, args[0]);
            return f.apply(target, withoutTextParsers(args));
          };
        case 'exec':
        case 'sql':
          return (...args: unknown[]) => {
            checked(lease, args[0]);
            return f.apply(target, args);
          };
        case 'transaction':
          return (fn: (tx: Transaction) => unknown) => {
            checked(lease, undefined);
            return f.call(target, (tx: Transaction) => fn(guardTx(lease, tx)));
          };
        case 'listen':
          return async (...args: unknown[]) => {
            checked(lease, undefined);
            const unlisten = (await f.apply(target, args)) as () => Promise<void>;
            const once = async () => {
              lease.unlisten.delete(once);
              await unlisten();
            };
            lease.unlisten.add(once);
            return once;
          };
        case 'close':
          return () => {
            lease.closed = true;
            return f.call(target);
          };
        default:
          return (...args: unknown[]) => {
            checked(lease, undefined);
            return f.apply(target, args);
          };
      }
    },
  });
}

async function openFresh(pool: Pool, options: { loadDataDir: Blob; pgliteWasmModule: WebAssembly.Module }): Promise<PGlite> {
  // An in-memory database thrown away after the run: no full pages in the WAL after a checkpoint (no torn page to
  // repair; fsync is off already) and no waiting for the WAL at commit. ~10 % less CPU for the query-heavy files.
  const startParams = [...PGlite.defaultStartParams, '-c', 'full_page_writes=off', '-c', 'synchronous_commit=off'];
  const client = await PGlite.create({ ...options, startParams });
  // After start-up: PGlite fills in the array types' parsers then, and drizzle's text parsers must win.
  for (const t of TEXT_TYPES) client.parsers[t] = asText;
  pool.counts.opened += 1;
  if (reuse) pool.pristine ??= await capturePristine(client);
  return client;
}

/**
 * An instance for one file: a reset one if the worker has one waiting, else one opened from the snapshot.
 * `release` gives it back (reset, or closed when it cannot be reused).
 */
export async function leasePglite(options: { loadDataDir: Blob; pgliteWasmModule: WebAssembly.Module }): Promise<{ client: PGlite; release(): Promise<void> }> {
  const pool = pglitePool();
  const idle = reuse ? pool.idle.pop() : undefined;
  if (idle) pool.counts.reused += 1;
  const lease: Lease = { client: idle ?? (await openFresh(pool, options)), revoked: false, tainted: false, closed: false, unlisten: new Set() };
  return {
    client: guard(lease),
    async release() {
      if (lease.revoked) return;
      lease.revoked = true;
      const { client } = lease;
      for (const unlisten of [...lease.unlisten]) await unlisten().catch(() => (lease.tainted = true));
      const reusable = reuse && pool.pristine && !lease.closed && !client.closed && !lease.tainted && !client.isInTransaction() && pool.idle.length < MAX_IDLE;
      if (reusable) {
        try {
          const c0 = process.cpuUsage();
          await reset(client, pool.pristine!);
          const c = process.cpuUsage(c0);
          pool.counts.resetCpu += (c.user + c.system) / 1e6;
          pool.idle.push(client);
          return;
        } catch {
          // Whatever state it is in, it is not the snapshot's: close it.
        }
      }
      pool.counts.discarded += 1;
      if (!client.closed) await client.close();
    },
  };
}
