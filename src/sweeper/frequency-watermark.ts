import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowsOf } from './job.js';

/**
 * What a frequency detector's pass must look at, from the change log (frequency_changes, written by
 * triggers in every writing transaction) and the job's watermark (sweep_watermarks).
 *
 * Why a transaction id and not a timestamp: a row's `updated_at` is the writer's clock when it wrote, but
 * the row becomes visible only when its transaction commits, possibly after a pass has read "everything
 * since T" — a timestamp watermark would skip it forever unless every pass re-read an overlap margin
 * longer than any transaction can last, which nothing bounds (and tests and imports set their own clocks).
 * Instead a pass reads `pg_snapshot_xmin(pg_current_snapshot())` as it starts: every transaction with a
 * smaller id has committed or aborted by then, so its changes are visible to this pass, which handles them;
 * transactions at or above it may still be running and are the next pass's (`xact >= watermark`). A change
 * may be looked at twice, never missed. Transaction ids are 64-bit (xid8): they do not wrap.
 */
export interface PassScope {
  /** The watermark of the job's last completed pass; null when it never completed one (a full pass). */
  since: number | null;
  /** This pass's horizon, stored as the watermark when the pass completes. */
  horizon: number;
  /** Thresholds created, changed or deleted since the watermark: counted again over every enterprise. */
  rules: string[];
  /** Agencies whose matter lists changed: their domain-scoped thresholds are counted again. */
  agencies: string[];
  /** Enterprises whose counted inspections or risk class changed: every threshold is counted again for them. */
  enterprises: string[];
}

export async function passScope(tx: Db, job: string): Promise<PassScope> {
  const [head] = await rowsOf<{ since: string | null; horizon: string }>(
    tx,
    sql`SELECT (SELECT w.xact FROM sweep_watermarks w WHERE w.job = ${job})::text AS since,
               pg_snapshot_xmin(pg_current_snapshot())::text AS horizon`,
  );
  const horizon = Number(head!.horizon);
  if (head!.since === null) return { since: null, horizon, rules: [], agencies: [], enterprises: [] };
  const since = Number(head!.since);
  // Read after the horizon, in a later snapshot: it sees every change below the horizon.
  // The names, not a subquery, go into the candidates' statements: the planner then sees how few there are
  // and probes the enterprise's index instead of guessing from stale statistics of this busy table.
  const [changed] = await rowsOf<{ rules: string[] | null; agencies: string[] | null; enterprises: string[] | null }>(
    tx,
    sql`SELECT array_agg(DISTINCT c.frequency_rule_id::text) FILTER (WHERE c.frequency_rule_id IS NOT NULL) AS rules,
               array_agg(DISTINCT c.agency_code) FILTER (WHERE c.agency_code IS NOT NULL) AS agencies,
               array_agg(DISTINCT c.enterprise_code) FILTER (WHERE c.enterprise_code IS NOT NULL) AS enterprises
          FROM frequency_changes c WHERE c.xact >= ${since}`,
  );
  return { since, horizon, rules: changed?.rules ?? [], agencies: changed?.agencies ?? [], enterprises: changed?.enterprises ?? [] };
}

/**
 * The pass looked at everything below its horizon: store it (never lowering it — a slower concurrent pass
 * that began earlier may complete later) and drop the change rows every job has passed.
 */
export async function completePass(tx: Db, job: string, horizon: number, at: Date): Promise<void> {
  await tx.execute(
    sql`INSERT INTO sweep_watermarks (job, xact, passed_at) VALUES (${job}, ${horizon}, ${at.toISOString()})
        ON CONFLICT (job) DO UPDATE SET xact = GREATEST(sweep_watermarks.xact, EXCLUDED.xact), passed_at = EXCLUDED.passed_at`,
  );
  await tx.execute(sql`DELETE FROM frequency_changes WHERE xact < (SELECT min(xact) FROM sweep_watermarks)`);
}
