import { bigint, bigserial, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * What changed under the frequency detectors (FREQUENCY_CAP, CASE_FREQUENCY_ANOMALY, Art. 15), written by
 * triggers (migration `…_h-sweep-frequency-changes.sql`) in the writing transaction, whatever the route:
 * commands, imports, off-site records, a hand-written UPDATE. One row names one of
 *   - an enterprise whose inspections changed in a column the count reads, or whose risk class changed;
 *   - a frequency rule (threshold) created, changed or deleted;
 *   - an agency whose matter list changed (a matter's domain is what domain-scoped thresholds count by).
 * `xact` is the writing transaction's id (pg_current_xact_id), the commit-safe order the sweeper's
 * watermark is compared with (src/sweeper/frequency-watermark.ts says why not a timestamp). Rows every
 * frequency job has passed are deleted at the end of its pass.
 */
export const frequencyChanges = pgTable(
  'frequency_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    xact: bigint('xact', { mode: 'number' }).notNull(),
    enterpriseCode: text('enterprise_code'),
    frequencyRuleId: uuid('frequency_rule_id'),
    agencyCode: text('agency_code'),
  },
  (t) => [index('frequency_changes_xact_idx').on(t.xact)],
);

/**
 * One row per incremental sweeper job: the snapshot (pg_current_snapshot) in which its last completed pass read
 * the change log, and that snapshot's xmin. The pass handled every change visible in that snapshot; the next
 * looks at the changes it did not see (`xact >= xmin` for the index, then not visible in the snapshot).
 */
export const sweepWatermarks = pgTable('sweep_watermarks', {
  job: text('job').primaryKey(),
  xact: bigint('xact', { mode: 'number' }).notNull(),
  snapshot: text('snapshot').notNull(),
  passedAt: timestamp('passed_at', { withTimezone: true }).notNull(),
});
