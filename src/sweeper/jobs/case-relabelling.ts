import { sql } from 'drizzle-orm';
import { CaseRelabelling } from '../../rules/declarations/relabelling.js';
import { flagAgenciesForMonth } from '../confirm.js';
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
  rule: CaseRelabelling.id,
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
             AND ${notYetFlagged(CaseRelabelling.id, 'agency', sql`a.code`, sql`${month}`)}
             AND EXISTS (SELECT 1 FROM audit_entries e WHERE e.action = 'refused.FREQUENCY_CAP' AND e.agency_code = a.code AND e.occurred_at > ${from}::date)
           GROUP BY a.code, a.district_code
          HAVING count(*) FILTER (WHERE i.counted_date > ${from}::date) >= ${s.caseMinCases}::int
             AND count(*) FILTER (WHERE i.counted_date > ${from}::date) >= ${s.caseRiseTimes}::int * GREATEST(count(*) FILTER (WHERE i.counted_date <= ${from}::date), 1)
           ORDER BY a.code
           LIMIT ${limit}`,
    );
    const raised = await flagAgenciesForMonth(tx, at, due, (r) => CaseRelabelling.check({ now: r.now, prev: r.prev, refusals: r.refusals, windowDays: s.caseWindowDays, riseTimes: s.caseRiseTimes, minCases: s.caseMinCases }), { month, from, to: today });
    return { selected: due.length, raised };
  },
};
