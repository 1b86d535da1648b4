import { sql } from 'drizzle-orm';
import { NotArchived } from '../../rules/declarations/onsite.js';
import { flagRows, inspectionSubject, type DueInspection } from '../confirm.js';
import { addDays, shanghaiDate, startOfShanghaiDay } from '../../time/shanghai-date.js';
import { notYetFlagged } from '../not-flagged.js';
import { rowsOf, type SweepJob } from '../job.js';

interface Unarchived extends DueInspection {
  state: string;
  result_notified_at: Date | string;
}

/**
 * NOT_ARCHIVED (Art. 25: 行政执法主体应当对行政检查过程中形成的行政执法文书、证据等…进行归档). An inspection is
 * finished when its result was notified (Art. 18(5)); one still not archived `archiveWithinDays` calendar
 * days later (ARCHIVE_WITHIN_DAYS, Shanghai dates) is flagged once. Closed or not does not matter: an
 * inspection left open is as unarchived as a closed one.
 */
export const notArchivedJob: SweepJob = {
  name: 'not-archived',
  rule: NotArchived.id,
  async runBatch(tx, { at, today, options }, limit) {
    const days = options.archiveWithinDays;
    // Notified on day D, due by D + days, overdue from D + days + 1: every notification before the start of
    // (today - days) is overdue.
    const cutoff = startOfShanghaiDay(addDays(today, -days));
    const due = await rowsOf<Unarchived>(
      tx,
      sql`SELECT i.id, i.agency_code, i.enterprise_code, i.state, i.result_notified_at, a.name, a.district_code
            FROM inspections i JOIN agencies a ON a.code = i.agency_code
           WHERE i.state IN ('result_notified', 'closed') AND i.archived_at IS NULL
             AND i.result_notified_at < ${cutoff.toISOString()}
             AND ${notYetFlagged(NotArchived.id, 'inspection', sql.raw('i.id::text'))}
           ORDER BY i.result_notified_at, i.id
           LIMIT ${limit}
           FOR NO KEY UPDATE OF i SKIP LOCKED`,
    );
    return flagRows(tx, at, due, (i) => {
      const result = NotArchived.check({ agencyName: i.name, notifiedOn: shanghaiDate(new Date(i.result_notified_at)), archived: false, today, days });
      const notifiedAt = new Date(i.result_notified_at).toISOString();
      return { result, subject: inspectionSubject(i, { inspectionId: i.id, state: i.state, resultNotifiedAt: notifiedAt, deadline: result.limit, days }) };
    });
  },
};
