import { sql, type SQL } from 'drizzle-orm';
import type { RuleId } from '../rules/catalog.js';

/**
 * The sweeper's "not raised yet" test for one due row, shared by every job. `OFFSET 0` keeps the planner
 * from turning the subquery into a join: each row probes the flags' unique index (rule, subject,
 * occurrence) instead of scanning every flag when statistics lag behind a burst of new flags.
 */
export function notYetFlagged(rule: RuleId, subjectType: string, subjectId: SQL, occurrence: SQL = sql`''`): SQL {
  return sql`NOT EXISTS (
    SELECT 1 FROM flags f
     WHERE f.rule = ${rule} AND f.subject_type = ${subjectType} AND f.subject_id = ${subjectId} AND f.occurrence = ${occurrence}
    OFFSET 0)`;
}
