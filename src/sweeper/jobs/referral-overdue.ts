import { sql } from 'drizzle-orm';
import { ReferralOverdue } from '../../rules/declarations/referrals.js';
import { flagRows } from '../confirm.js';
import { appendAudit } from '../../audit/append.js';
import { settleKnownPendingYears } from '../../referrals/pending-due.js';
import { SYSTEM_ACTOR } from '../../flags/raise.js';
import { notYetFlagged } from '../not-flagged.js';
import { rowsOf, type SweepJob } from '../job.js';

interface DueReferral {
  id: string;
  agency_code: string;
  competent_agency_code: string;
  enterprise_code: string;
  inspection_id: string | null;
  found_on: string;
  due_date: string;
  district_code: string | null;
}

/**
 * REFERRAL_OVERDUE (Art. 23: 在 10 个工作日内移送): a referral still unsent once its stored due date has
 * passed is flagged, once per referral (occurrence ''). Sending late raises the same flag in the send
 * command; whichever comes first raises it, the unique index makes the other a no-op.
 */
export const referralOverdueJob: SweepJob = {
  name: 'referral-overdue',
  rule: ReferralOverdue.id,
  async runBatch(tx, { at, today }, limit) {
    // Due dates still pending on a year the calendar now knows are dated first (src/referrals/pending-due.ts).
    const settledLate = await settleKnownPendingYears(tx, { at, audit: (e) => appendAudit(tx, { ...e, at, actor: SYSTEM_ACTOR.sub, role: SYSTEM_ACTOR.role }) }, SYSTEM_ACTOR);
    const due = await rowsOf<DueReferral>(
      tx,
      sql`SELECT r.id, r.agency_code, r.competent_agency_code, r.enterprise_code, r.inspection_id,
                 r.found_on::text AS found_on, r.due_date::text AS due_date, a.district_code
          FROM referrals r JOIN agencies a ON a.code = r.agency_code
          WHERE r.state = 'opened' AND r.due_date < ${today}
            AND ${notYetFlagged(ReferralOverdue.id, 'referral', sql.raw('r.id::text'))}
          ORDER BY r.due_date, r.id
          LIMIT ${limit}
          FOR UPDATE OF r SKIP LOCKED`,
    );
    const flagged = await flagRows(tx, at, due, (r) => ({
      result: ReferralOverdue.check({ state: 'opened', foundOn: r.found_on, dueDate: r.due_date, sentOn: null }, today),
      subject: {
        subjectType: 'referral',
        subjectId: r.id,
        agencyCode: r.agency_code,
        enterpriseCode: r.enterprise_code,
        districtCode: r.district_code,
        evidence: { referralId: r.id, foundOn: r.found_on, dueDate: r.due_date, competentAgencyCode: r.competent_agency_code, inspectionId: r.inspection_id, checkedOn: today },
      },
    }));
    return { selected: flagged.selected, raised: flagged.raised + settledLate };
  },
};
