import { sql } from 'drizzle-orm';
import { PlanFilingDeadline } from '../../rules/declarations/plans.js';
import { flagRows } from '../confirm.js';
import { notYetFlagged } from '../not-flagged.js';
import { rowsOf, type SweepJob } from '../job.js';

interface DueAgency {
  code: string;
  name: string;
  district_code: string | null;
  plan_id: string | null;
  plan_state: string | null;
  filed: boolean;
  submitted_on: string | null;
  resubmit_by: string | null;
}

/**
 * PLAN_FILING_DEADLINE (Art. 13: 于每年3月31日前报…备案): once 1 April (Asia/Shanghai) has come, every
 * agency that inspects (not the justice bureaus) with no standing submission of its plan for the year
 * is flagged, once per agency and year (occurrence = the year; a late submission raises the same flag,
 * so the two never double). The duty is the agency's: a plan submitted in time and not yet filed waits
 * on the bureau and is not flagged (the dashboard shows it as the bureau's); a returned plan keeps its
 * standing until its resubmission period (`resubmit_by`) runs out. A plan filed once met the duty. Agencies
 * outside Wuhan (第二条), deactivated ones, and ones registered after 31 March of the year have no duty that year.
 */
export const planFilingDeadlineJob: SweepJob = {
  name: 'plan-filing-deadline',
  rule: PlanFilingDeadline.id,
  async runBatch(tx, { at, today }, limit) {
    const year = Number(today.slice(0, 4));
    const deadline = `${year}-03-31`;
    if (today <= deadline) return { selected: 0, raised: 0 };
    // FOR NO KEY UPDATE is the FOR UPDATE that does not block the FOR KEY SHARE locks foreign keys take:
    // an officer drafting a plan (or an inspection) for a locked agency is not held up by the sweep.
    // Who has the 31 March duty (annual-duty.ts hasAnnualDuty): an active agency of Wuhan (Art. 2), registered
    // here by 31 March of the year; one registered later has its first duty the next year.
    const due = await rowsOf<DueAgency>(
      tx,
      sql`SELECT a.code, a.name, a.district_code, p.id AS plan_id, p.state AS plan_state,
                 (p.filed_at IS NOT NULL) AS filed, p.submitted_on::text AS submitted_on, p.resubmit_by::text AS resubmit_by
          FROM agencies a
          LEFT JOIN plans p ON p.agency_code = a.code AND p.year = ${year}
          WHERE a.is_justice_bureau = false
            AND a.active = true
            AND NOT EXISTS (SELECT 1 FROM districts d WHERE d.code = a.district_code AND d.kind = 'outside')
            AND (a.created_at AT TIME ZONE 'Asia/Shanghai')::date <= ${deadline}::date
            AND (p.id IS NULL
                 OR (p.filed_at IS NULL
                     AND (p.submitted_on IS NULL OR (p.state = 'returned' AND p.resubmit_by < ${today}))))
            AND ${notYetFlagged(PlanFilingDeadline.id, 'agency', sql.raw('a.code'), sql`${String(year)}`)}
          ORDER BY a.code
          LIMIT ${limit}
          FOR NO KEY UPDATE OF a SKIP LOCKED`,
    );
    return flagRows(tx, at, due, (a) => {
      const result = PlanFilingDeadline.check({ agencyName: a.name, year, today, planState: a.plan_state, filed: a.filed, submittedOn: a.submitted_on, resubmitBy: a.resubmit_by });
      return { result, subject: { subjectType: 'agency', subjectId: a.code, occurrence: String(year), agencyCode: a.code, districtCode: a.district_code, evidence: { year, planId: a.plan_id, planState: a.plan_state, checkedOn: today } } };
    });
  },
};
