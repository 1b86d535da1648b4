import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { type Cursor } from './cursor.js';
import type { EventRow } from './cloud-event.js';

/** What a client may receive (Art. 8: shared as needed): event-type prefixes and agencies; empty = all. */
export interface FeedScope {
  /** Audit-action prefixes, e.g. `inspection.`, `flag.`; matched against the action. */
  eventTypes: readonly string[];
  agencies: readonly string[];
}

function likePrefix(p: string): string {
  return p.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
}

// drizzle spreads a bound array into a list, so an array parameter is written out element by element.
const textArray = (xs: readonly string[]): SQL => sql`ARRAY[${sql.join(xs.map((x) => sql`${x}`), sql`, `)}]::text[]`;

function scopeSql(scope: FeedScope): SQL {
  const parts: SQL[] = [];
  if (scope.eventTypes.length) {
    const patterns = scope.eventTypes.map(likePrefix);
    parts.push(sql`action LIKE ANY(${textArray(patterns)})`);
  }
  if (scope.agencies.length) parts.push(sql`agency_code = ANY(${textArray(scope.agencies)})`);
  return parts.length ? sql.join(parts, sql` AND `) : sql`TRUE`;
}

type RawRow = {
  seq: string | number;
  id: string;
  tx_id: string;
  occurred_at: string | Date;
  action: string;
  subject_type: string;
  subject_id: string;
  data: unknown;
};

/**
 * The next events after `after` in the client's scope. Only transactions older than the oldest one still
 * running are read (`tx_id < pg_snapshot_xmin(pg_current_snapshot())`): a transaction that began earlier but
 * commits later would otherwise put an event behind a cursor already handed out. The price is latency: an
 * event waits for every transaction that began before it to end (commands are short; see README).
 */
export async function readFeed(db: Db, scope: FeedScope, after: Cursor, limit: number): Promise<EventRow[]> {
  const res = await db.execute<RawRow>(sql`
    SELECT seq, id, tx_id::text AS tx_id, occurred_at, action, subject_type, subject_id, data
    FROM domain_events
    WHERE (tx_id, seq) > (${after.txId}::text::xid8, ${after.seq}::bigint)
      AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
      AND ${scopeSql(scope)}
    ORDER BY tx_id, seq
    LIMIT ${limit}`);
  const rows = (res as unknown as { rows: RawRow[] }).rows;
  return rows.map((r) => ({
    seq: Number(r.seq),
    id: r.id,
    txId: r.tx_id,
    occurredAt: new Date(r.occurred_at),
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data,
  }));
}
