import { sql } from 'drizzle-orm';
import { ResultNotNotified } from '../../rules/declarations/onsite.js';
import { flagIfFailed } from '../confirm.js';
import { CalendarService } from '../../calendar/calendar-service.js';
import { latestOverdueStart } from '../../deadlines/working-days.js';
import { notYetFlagged } from '../not-flagged.js';
import { addDays, shanghaiDate, startOfShanghaiDay } from '../../time/shanghai-date.js';
import { rowsOf, type SweepJob } from '../job.js';

interface Unnotified {
  id: string;
  agency_code: string;
  enterprise_code: string;
  findings_at: Date | string;
  name: string;
  district_code: string | null;
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
    // OFFSET 0 keeps the "already flagged" check a per-row probe of flags_occurrence_uq. Flattened into an
    // anti-join, the planner scanned every flag of the rule for each due row whenever its statistics lagged a
    // burst of new flags (measured: 17 s for one batch over 6,666 rows; with the probe, milliseconds).
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
    let raised = 0;
    for (const i of due) {
      const foundOn = shanghaiDate(new Date(i.findings_at));
      const deadline = calendar.addWorkingDays(foundOn, days);
      const result = ResultNotNotified.check({ agencyName: i.name, foundOn, deadline, today, days, notified: false });
      const flagged = await flagIfFailed(tx, at, result, {
        subjectType: 'inspection',
        subjectId: i.id,
        agencyCode: i.agency_code,
        enterpriseCode: i.enterprise_code,
        districtCode: i.district_code,
        evidence: { inspectionId: i.id, findingsAt: new Date(i.findings_at).toISOString(), deadline, workingDays: days },
      });
      if (flagged) raised++;
    }
    return { selected: due.length, raised };
  },
};
