import { sql } from 'drizzle-orm';
import { ResultNotNotified } from '../../rules/declarations/onsite.js';
import { flagRows, inspectionSubject, type DueInspection } from '../confirm.js';
import { CalendarService } from '../../calendar/calendar-service.js';
import { latestOverdueStart } from '../../deadlines/working-days.js';
import { notYetFlagged } from '../not-flagged.js';
import { addDays, shanghaiDate, startOfShanghaiDay } from '../../time/shanghai-date.js';
import { rowsOf, type SweepJob } from '../job.js';

interface Unnotified extends DueInspection {
  findings_at: Date | string;
}

/**
 * RESULT_NOT_NOTIFIED (Art. 18(5): 行政检查结束后，将行政检查结果告知企业): Art. 18 governs the inspections
 * of Art. 17 — on-site routine and special — so case inspections are left out (the Order sets no result
 * notice for them; their own procedure laws do, docs/COMPLIANCE.md). An on-site routine or special inspection whose
 * findings were recorded but whose result is still not notified `resultNotifyWorkingDays` working days
 * later (official calendar) is flagged once. The calendar turns the deadline into one cut-off instant —
 * every finding recorded before it is overdue — so the selection stays a single indexed range query.
 */
export const resultNotNotifiedJob: SweepJob = {
  name: 'result-not-notified',
  rule: ResultNotNotified.id,
  async runBatch(tx, { at, today, options }, limit) {
    const days = options.resultNotifyWorkingDays;
    const calendar = await new CalendarService(tx).current();
    const lastOverdueDay = latestOverdueStart(calendar, today, days);
    const cutoff = startOfShanghaiDay(addDays(lastOverdueDay, 1));
    const due = await rowsOf<Unnotified>(
      tx,
      sql`SELECT i.id, i.agency_code, i.enterprise_code, i.findings_at, a.name, a.district_code
          FROM inspections i JOIN agencies a ON a.code = i.agency_code
          WHERE i.state = 'findings_recorded' AND i.mode = 'onsite' AND i.kind <> 'case'
            AND i.excluded_relation IS NULL AND i.entity_scope <> 'out_of_scope'
            AND i.findings_at < ${cutoff.toISOString()}
            AND ${notYetFlagged(ResultNotNotified.id, 'inspection', sql.raw('i.id::text'))}
          ORDER BY i.findings_at, i.id
          LIMIT ${limit}
          FOR NO KEY UPDATE OF i SKIP LOCKED`,
    );
    return flagRows(tx, at, due, (i) => {
      const foundOn = shanghaiDate(new Date(i.findings_at));
      const deadline = calendar.addWorkingDays(foundOn, days);
      const result = ResultNotNotified.check({ agencyName: i.name, foundOn, deadline, today, days, notified: false });
      return { result, subject: inspectionSubject(i, { inspectionId: i.id, findingsAt: new Date(i.findings_at).toISOString(), deadline, workingDays: days }) };
    });
  },
};
