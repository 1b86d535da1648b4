import { sql } from 'drizzle-orm';
import { raiseFlag, SYSTEM_ACTOR } from '../../flags/raise.js';
import { addDays } from '../../time/shanghai-date.js';
import { notYetFlagged } from '../not-flagged.js';
import { rowsOf, type SweepJob } from '../job.js';

/**
 * CASE_RELABELLING (Art. 9, 15: a case inspection is not bound by the caps, so a routine inspection
 * relabelled as a case escapes them). An agency is flagged, once a month, when in the last
 * CASE_RELABEL_WINDOW_DAYS its case inspections under the Order reached CASE_RELABEL_MIN_CASES and
 * CASE_RELABEL_RISE_TIMES the period before, while its routine inspections met their caps (a FREQUENCY_CAP
 * refusal of the agency in the same period).
 */
export const caseRelabellingJob: SweepJob = {
  name: 'case-relabelling',
  rule: 'CASE_RELABELLING',
  async runBatch(tx, { at, today, options }, limit) {
    const s = options.relabelling;
    const from = addDays(today, -s.caseWindowDays);
    const before = addDays(from, -s.caseWindowDays);
    const month = today.slice(0, 7);
    const due = await rowsOf<{ agency_code: string; district_code: string | null; now: number; prev: number; refusals: number }>(
      tx,
      sql`SELECT a.code AS agency_code, a.district_code,
                 count(*) FILTER (WHERE i.counted_date > ${from}::date)::int AS now,
                 count(*) FILTER (WHERE i.counted_date <= ${from}::date)::int AS prev,
                 (SELECT count(*)::int FROM audit_entries e
                   WHERE e.action = 'refused.FREQUENCY_CAP' AND e.agency_code = a.code AND e.occurred_at > ${from}::date) AS refusals
            FROM inspections i JOIN agencies a ON a.code = i.agency_code
           WHERE i.kind = 'case' AND i.excluded_relation IS NULL AND i.entity_scope <> 'out_of_scope'
             AND i.counted_date > ${before}::date
             AND ${notYetFlagged('CASE_RELABELLING', 'agency', sql`a.code`, sql`${month}`)}
             AND EXISTS (SELECT 1 FROM audit_entries e WHERE e.action = 'refused.FREQUENCY_CAP' AND e.agency_code = a.code AND e.occurred_at > ${from}::date)
           GROUP BY a.code, a.district_code
          HAVING count(*) FILTER (WHERE i.counted_date > ${from}::date) >= ${s.caseMinCases}::int
             AND count(*) FILTER (WHERE i.counted_date > ${from}::date) >= ${s.caseRiseTimes}::int * GREATEST(count(*) FILTER (WHERE i.counted_date <= ${from}::date), 1)
           ORDER BY a.code
           LIMIT ${limit}`,
    );
    let raised = 0;
    for (const r of due) {
      const id = await raiseFlag(tx, at, SYSTEM_ACTOR, {
        rule: 'CASE_RELABELLING',
        subjectType: 'agency',
        subjectId: r.agency_code,
        occurrence: month,
        agencyCode: r.agency_code,
        districtCode: r.district_code,
        observed: { caseInspections: r.now, previousPeriod: r.prev, frequencyCapRefusals: r.refusals },
        limit: { CASE_RELABEL_WINDOW_DAYS: s.caseWindowDays, CASE_RELABEL_RISE_TIMES: s.caseRiseTimes, CASE_RELABEL_MIN_CASES: s.caseMinCases },
        detail: `近${s.caseWindowDays}日个案检查${r.now}次，为前一期间（${r.prev}次）的${s.caseRiseTimes}倍以上，同期日常检查因频次上限被拒绝${r.refusals}次；可能将日常检查改称个案检查（期间、倍数和最低次数为本平台的检测设置，非本办法规定），请监督核查`,
        evidence: { from, to: today },
      });
      if (id) raised++;
    }
    return { selected: due.length, raised };
  },
};
