import { sql } from 'drizzle-orm';
import { raiseFlag, SYSTEM_ACTOR } from '../../flags/raise.js';
import { notYetFlagged } from '../not-flagged.js';
import { rowsOf, type SweepJob } from '../job.js';

interface NoFollowUp {
  id: string;
  agency_code: string;
  enterprise_code: string;
  follow_up_due: string;
  notice_no: string | null;
  name: string;
  district_code: string | null;
}

/**
 * RECTIFICATION_NO_FOLLOWUP (Art. 20: 进行跟踪检查并予以记录): an inspection that ordered a stop or a
 * rectification, whose follow-up date has passed with no inspection following it up (follow_up_of = its
 * id) that recorded findings by the end of that day, is flagged once. The end of the day is a fixed
 * +08:00 instant, so the answer is the same whenever the sweeper gets to it (a restart loses nothing).
 */
export const rectificationNoFollowupJob: SweepJob = {
  name: 'rectification-no-followup',
  rule: 'RECTIFICATION_NO_FOLLOWUP',
  async runBatch(tx, { at, today }, limit) {
    // OFFSET 0 keeps the "already flagged" check a per-row probe of flags_occurrence_uq. Flattened into an
    // anti-join, the planner scanned every flag of the rule for each due row whenever its statistics lagged a
    // burst of new flags (measured: 17 s for one batch over 6,666 rows; with the probe, milliseconds).
    const due = await rowsOf<NoFollowUp>(
      tx,
      // The first follow-up findings per inspection, read once per batch and hash-joined: a correlated
      // NOT EXISTS re-scanned the inspections for every due row (inspections has no follow_up_of index).
      sql`WITH followed AS MATERIALIZED (
            SELECT f.follow_up_of, min(f.findings_at) AS first_findings_at
            FROM inspections f
            WHERE f.follow_up_of IS NOT NULL AND f.findings_at IS NOT NULL
            GROUP BY f.follow_up_of)
          SELECT i.id, i.agency_code, i.enterprise_code, i.follow_up_due::text AS follow_up_due,
                 i.outcome->>'noticeNo' AS notice_no, a.name, a.district_code
          FROM inspections i
          JOIN agencies a ON a.code = i.agency_code
          LEFT JOIN followed fu ON fu.follow_up_of = i.id
          WHERE i.follow_up_due IS NOT NULL AND i.follow_up_due < ${today}
            AND (fu.first_findings_at IS NULL
                 OR fu.first_findings_at >= ((i.follow_up_due + 1)::text || 'T00:00:00+08:00')::timestamptz)
            AND ${notYetFlagged('RECTIFICATION_NO_FOLLOWUP', 'inspection', sql.raw('i.id::text'))}
          ORDER BY i.follow_up_due, i.id
          LIMIT ${limit}
          FOR NO KEY UPDATE OF i SKIP LOCKED`,
    );
    let raised = 0;
    for (const i of due) {
      const id = await raiseFlag(tx, at, SYSTEM_ACTOR, {
        rule: 'RECTIFICATION_NO_FOLLOWUP',
        subjectType: 'inspection',
        subjectId: i.id,
        agencyCode: i.agency_code,
        enterpriseCode: i.enterprise_code,
        districtCode: i.district_code,
        observed: `no follow-up findings by ${i.follow_up_due}`,
        limit: i.follow_up_due,
        detail: `${i.name}责令停止或改正（${i.notice_no ?? '文号未填'}）的期限${i.follow_up_due}已过，截至${today}无跟踪检查记录，违反第二十条第二款`,
        evidence: { inspectionId: i.id, followUpDue: i.follow_up_due, noticeNo: i.notice_no, checkedOn: today },
      });
      if (id) raised++;
    }
    return { selected: due.length, raised };
  },
};
