import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
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
  if (scope.eventTypes.length) parts.push(sql`e.action LIKE ANY(${textArray(scope.eventTypes.map(likePrefix))})`);
  if (scope.agencies.length) parts.push(sql`e.agency_code = ANY(${textArray(scope.agencies)})`);
  return parts.length ? sql.join(parts, sql` AND `) : sql`TRUE`;
}

type RawRow = {
  position: string | number;
  id: string;
  occurred_at: string | Date;
  action: string;
  subject_type: string;
  subject_id: string;
  data: unknown;
};

/**
 * The next events after position `after` in the client's scope, in chain order. An event is offered once
 * its audit entry is sealed (AUDIT_SEAL_INTERVAL_MS, 250 ms by default): the sealer numbers only committed
 * entries, one sealer at a time, so a transaction that began earlier but commits later is numbered after
 * every position already handed out; a cursor never passes an event (no gap) and never repeats one.
 */
export async function readFeed(db: Db, scope: FeedScope, after: number, limit: number): Promise<EventRow[]> {
  const res = await db.execute<RawRow>(sql`
    SELECT c.seq AS position, e.id, e.occurred_at, e.action, e.subject_type, e.subject_id, e.data
    FROM audit_chain c JOIN domain_events e ON e.audit_entry_id = c.entry_id
    WHERE c.seq > ${after} AND ${scopeSql(scope)}
    ORDER BY c.seq
    LIMIT ${limit}`);
  const rows = (res as unknown as { rows: RawRow[] }).rows;
  return rows.map((r) => ({
    position: Number(r.position),
    id: r.id,
    occurredAt: new Date(r.occurred_at),
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data,
  }));
}
