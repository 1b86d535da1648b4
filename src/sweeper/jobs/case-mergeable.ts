import { sql } from 'drizzle-orm';
import { CaseMergeable } from '../../rules/declarations/plans.js';
import { flagRows, inspectionSubject, type DueInspection } from '../confirm.js';
import { notYetFlagged } from '../not-flagged.js';
import { rowsOf, type SweepJob } from '../job.js';

interface Unmerged extends DueInspection {
  counted_date: string;
  pending: string[];
}

/** A planned task not yet executed; `executed` states mean the visit happened. */
const PENDING = sql.raw(`('draft', 'approved', 'code_issued')`);
const EXECUTED = sql.raw(`('in_progress', 'findings_recorded', 'result_notified', 'closed', 'archived')`);

/**
 * CASE_MERGEABLE (Art. 13 ¶3: 个案现场检查能够与尚未执行的计划检查任务合并实施的，原则上应当合并实施). Drafting
 * advises the merge (draftInspection's mergeCandidates); this job flags an on-site case inspection that
 * went ahead on its own although, when it was drafted, the same agency already had a planned (routine or
 * special) on-site task at the same enterprise, not yet executed, whose date lay within
 * `caseMergeWindowDays` of the case's (CASE_MERGE_WINDOW_DAYS). "原则上" leaves room for reasons, so it is a
 * flag for the supervisors, once per case inspection, never a refusal.
 */
export const caseMergeableJob: SweepJob = {
  name: 'case-mergeable',
  rule: CaseMergeable.id,
  async runBatch(tx, { at, options }, limit) {
    const days = options.caseMergeWindowDays;
    const due = await rowsOf<Unmerged>(
      tx,
      sql`SELECT c.id, c.agency_code, c.enterprise_code, to_char(c.counted_date, 'YYYY-MM-DD') AS counted_date, a.name, a.district_code,
                 ARRAY(SELECT p.id::text FROM inspections p
                        WHERE p.agency_code = c.agency_code AND p.enterprise_code = c.enterprise_code
                          AND p.kind IN ('routine', 'special') AND p.mode = 'onsite'
                          AND p.created_at <= c.created_at
                          AND abs(p.counted_date - c.counted_date) <= ${days}
                          AND (p.state IN ${PENDING} OR (p.state IN ${EXECUTED} AND p.counted_date >= c.counted_date))
                        ORDER BY p.counted_date, p.id) AS pending
            FROM inspections c JOIN agencies a ON a.code = c.agency_code
           WHERE c.kind = 'case' AND c.mode = 'onsite' AND c.state IN ${EXECUTED}
             AND ${notYetFlagged(CaseMergeable.id, 'inspection', sql.raw('c.id::text'))}
             AND EXISTS (SELECT 1 FROM inspections p
                          WHERE p.agency_code = c.agency_code AND p.enterprise_code = c.enterprise_code
                            AND p.kind IN ('routine', 'special') AND p.mode = 'onsite'
                            AND p.created_at <= c.created_at
                            AND abs(p.counted_date - c.counted_date) <= ${days}
                            AND (p.state IN ${PENDING} OR (p.state IN ${EXECUTED} AND p.counted_date >= c.counted_date)))
           ORDER BY c.counted_date, c.id
           LIMIT ${limit}
           FOR NO KEY UPDATE OF c SKIP LOCKED`,
    );
    return flagRows(tx, at, due, (c) => {
      const result = CaseMergeable.check({ agencyName: c.name, countedDate: c.counted_date, pending: c.pending, days });
      return { result, subject: inspectionSubject(c, { inspectionId: c.id, pendingPlannedTasks: c.pending, windowDays: days }) };
    });
  },
};
