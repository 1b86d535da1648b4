import { sql } from 'drizzle-orm';
import { ReferralNotReceived } from '../../rules/declarations/referrals.js';
import { flagRows } from '../confirm.js';
import { CalendarService } from '../../calendar/calendar-service.js';
import { latestOverdueStart } from '../../deadlines/working-days.js';
import { notYetFlagged } from '../not-flagged.js';
import { rowsOf, type SweepJob } from '../job.js';

interface Unreceived {
  id: string;
  state: string;
  agency_code: string;
  competent_agency_code: string;
  enterprise_code: string;
  sent_on: string;
  name: string;
  district_code: string | null;
}

/**
 * REFERRAL_NOT_RECEIVED (Art. 23: 有管辖权的行政执法主体应当接收): a referral sent to the competent agency that
 * it has neither accepted nor taken to the common superior as a dispute over competence
 * `referralAcceptWorkingDays` working days after it was sent (official calendar) is flagged once, against
 * the competent agency. Receiving (签收) without accepting does not stop the clock: the article asks for
 * 接收 of the case, which the engine records as acceptance.
 */
export const referralNotReceivedJob: SweepJob = {
  name: 'referral-not-received',
  rule: ReferralNotReceived.id,
  async runBatch(tx, { at, today, options }, limit) {
    const days = options.referralAcceptWorkingDays;
    const calendar = await new CalendarService(tx).current();
    const lastOverdueDay = latestOverdueStart(calendar, today, days);
    const due = await rowsOf<Unreceived>(
      tx,
      sql`SELECT r.id, r.state, r.agency_code, r.competent_agency_code, r.enterprise_code, r.sent_on::text AS sent_on,
                 a.name, a.district_code
          FROM referrals r JOIN agencies a ON a.code = r.competent_agency_code
          WHERE r.state IN ('sent', 'received') AND r.sent_on <= ${lastOverdueDay}
            AND ${notYetFlagged(ReferralNotReceived.id, 'referral', sql.raw('r.id::text'))}
          ORDER BY r.sent_on, r.id
          LIMIT ${limit}
          FOR UPDATE OF r SKIP LOCKED`,
    );
    return flagRows(tx, at, due, (r) => {
      const deadline = calendar.addWorkingDays(r.sent_on, days);
      const result = ReferralNotReceived.check({ competentAgencyName: r.name, sentOn: r.sent_on, state: r.state, deadline, days, today });
      return { result, subject: { subjectType: 'referral', subjectId: r.id, agencyCode: r.competent_agency_code, enterpriseCode: r.enterprise_code, districtCode: r.district_code, evidence: { referralId: r.id, sentOn: r.sent_on, state: r.state, deadline, workingDays: days, findingAgencyCode: r.agency_code } } };
    });
  },
};
