import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Db } from './client.js';
import * as schema from './schema/index.js';

/**
 * A streaming replica for the public check (DATABASE_REPLICA_URL). The answer a replica gives is only as
 * new as the WAL it has replayed, so every read from it carries how fresh it is, and a replica further
 * behind than `maxLagMs` (REPLICA_MAX_LAG_MS) is not read at all: the check asks the primary instead.
 *
 * Freshness (`asOf`): when the replica has replayed all the WAL it received and its WAL receiver is
 * streaming, it holds everything the primary had committed a moment ago, so `asOf` is the replica's now.
 * Otherwise `asOf` is the commit time of the last transaction it replayed. Reading pg_stat_wal_receiver's
 * status needs pg_read_all_stats (or pg_monitor) on the replica; without it the second, conservative rule
 * applies always (an idle primary then makes the replica look old, and the check reads the primary).
 */
export interface Freshness {
  /** Everything committed on the primary up to this instant is in the answer. */
  asOf: Date;
  lagMs: number;
  usable: boolean;
}

export interface Replica {
  db: Db;
  maxLagMs: number;
  /** The replica's freshness; null when it cannot say (no transaction replayed yet) or does not answer. */
  freshness(): Promise<Freshness | null>;
  close(): Promise<void>;
}

// One reading serves the checks of the next quarter second: replay only moves forward, so an earlier
// reading is still a true lower bound of what a later read sees (only the reported lag grows with it).
const READING_TTL_MS = 250;

const FRESHNESS_SQL = `SELECT now() AS now,
  pg_is_in_recovery() AS standby,
  pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() AS caught_up,
  pg_last_xact_replay_timestamp() AS replayed_at,
  (SELECT status FROM pg_stat_wal_receiver) AS receiver`;

export function openReplica(url: string, opts: { maxLagMs: number; poolSize: number }): Replica {
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize, application_name: 'wh327-replica', connectionTimeoutMillis: 1000 });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  let reading: { at: number; asOf: Date | null } | undefined;
  let pending: Promise<Date | null> | undefined;
  const read = async (): Promise<Date | null> => {
    const { rows } = await pool.query<{ now: Date; standby: boolean; caught_up: boolean; replayed_at: Date | null; receiver: string | null }>(FRESHNESS_SQL);
    const r = rows[0]!;
    // A promoted replica (or a primary named here by mistake) is current by definition.
    if (!r.standby || (r.caught_up && r.receiver === 'streaming')) return r.now;
    return r.replayed_at;
  };
  return {
    db: drizzlePg(pool, { schema }) as unknown as Db,
    maxLagMs: opts.maxLagMs,
    async freshness() {
      const now = Date.now();
      if (!reading || now - reading.at > READING_TTL_MS) {
        pending ??= read().finally(() => {
          pending = undefined;
        });
        try {
          reading = { at: now, asOf: await pending };
        } catch {
          reading = undefined;
          return null;
        }
      }
      if (!reading.asOf) return null;
      const lagMs = Math.max(0, Date.now() - reading.asOf.getTime());
      return { asOf: reading.asOf, lagMs, usable: lagMs <= opts.maxLagMs };
    },
    close: () => pool.end(),
  };
}
