import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowsOf } from './job.js';

/**
 * What a frequency detector's pass must look at, from the change log (frequency_changes, written by
 * triggers in every writing transaction) and the job's watermark (sweep_watermarks).
 *
 * Why a snapshot and not a timestamp: a row's `updated_at` is the writer's clock when it wrote, but the row
 * becomes visible only when its transaction commits, possibly after a pass has read "everything since T" — a
 * timestamp watermark would skip it forever unless every pass re-read an overlap margin longer than any
 * transaction can last, which nothing bounds (and tests and imports set their own clocks). Instead a pass reads
 * the change log and `pg_current_snapshot()` in one statement, so the snapshot says exactly which change rows
 * that statement saw: those of every transaction it shows as committed. The pass handles all of them (its later
 * statements see at least as much) and stores the snapshot when it completes. The next pass reads the rows the
 * stored snapshot did not show — transactions still running then, or begun since — and nothing else: a
 * transaction that commits during a pass is the next pass's, and a long transaction elsewhere in the cluster
 * (which holds the snapshot's xmin back) costs a longer index range of the change log, not a pass repeated.
 * Transaction ids are 64-bit (xid8): they do not wrap.
 */
export interface PassScope {
  /** False when the job never completed a pass: every threshold over every enterprise. */
  incremental: boolean;
  /** This pass's snapshot and its xmin, stored as the watermark when the pass completes. */
  snapshot: string;
  xmin: number;
  /** Thresholds created or changed since the watermark: counted again over every enterprise. */
  rules: string[];
  /** Agencies whose matter lists changed: their domain-scoped thresholds are counted again. */
  agencies: string[];
  /** Enterprises whose counted inspections or risk class changed: every threshold is counted again for them. */
  enterprises: string[];
}

export async function passScope(tx: Db, job: string): Promise<PassScope> {
  const [mark] = await rowsOf<{ xact: string; snapshot: string }>(tx, sql`SELECT xact::text, snapshot FROM sweep_watermarks WHERE job = ${job}`);
  if (!mark) {
    const [now] = await rowsOf<{ snapshot: string; xmin: string }>(
      tx,
      sql`SELECT pg_current_snapshot()::text AS snapshot, pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`,
    );
    return { incremental: false, snapshot: now!.snapshot, xmin: Number(now!.xmin), rules: [], agencies: [], enterprises: [] };
  }
  // One statement, one snapshot: the change rows read are exactly those the returned snapshot shows.
  // The names, not a subquery, go into the candidates' statements: the planner then sees how few there are and
  // probes the enterprise index instead of guessing from the statistics of this busy table.
  const [changed] = await rowsOf<{ snapshot: string; xmin: string; rules: string[] | null; agencies: string[] | null; enterprises: string[] | null }>(
    tx,
    sql`SELECT pg_current_snapshot()::text AS snapshot, pg_snapshot_xmin(pg_current_snapshot())::text AS xmin,
               array_agg(DISTINCT c.frequency_rule_id::text) FILTER (WHERE c.frequency_rule_id IS NOT NULL) AS rules,
               array_agg(DISTINCT c.agency_code) FILTER (WHERE c.agency_code IS NOT NULL) AS agencies,
               array_agg(DISTINCT c.enterprise_code) FILTER (WHERE c.enterprise_code IS NOT NULL) AS enterprises
          FROM frequency_changes c
         WHERE c.xact >= ${Number(mark.xact)}
           AND NOT pg_visible_in_snapshot(c.xact::text::xid8, ${mark.snapshot}::pg_snapshot)`,
  );
  return {
    incremental: true,
    snapshot: changed!.snapshot,
    xmin: Number(changed!.xmin),
    rules: changed!.rules ?? [],
    agencies: changed!.agencies ?? [],
    enterprises: changed!.enterprises ?? [],
  };
}

/**
 * The pass handled everything its snapshot showed: store the snapshot (unless a pass that began later completed
 * first — a slower concurrent pass must not move the watermark back) and drop the change rows every job's
 * snapshot shows as finished.
 */
export async function completePass(tx: Db, job: string, scope: PassScope, at: Date): Promise<void> {
  await tx.execute(
    sql`INSERT INTO sweep_watermarks (job, xact, snapshot, passed_at) VALUES (${job}, ${scope.xmin}, ${scope.snapshot}, ${at.toISOString()})
        ON CONFLICT (job) DO UPDATE SET xact = EXCLUDED.xact, snapshot = EXCLUDED.snapshot, passed_at = EXCLUDED.passed_at
        WHERE pg_snapshot_xmax(EXCLUDED.snapshot::pg_snapshot) >= pg_snapshot_xmax(sweep_watermarks.snapshot::pg_snapshot)`,
  );
  await tx.execute(sql`DELETE FROM frequency_changes WHERE xact < (SELECT min(xact) FROM sweep_watermarks)`);
}
