import { sql } from 'drizzle-orm';
import { RectificationNoFollowup } from '../../rules/declarations/onsite.js';
import { flagRows, inspectionSubject, type DueInspection } from '../confirm.js';
import { addDays, shanghaiDate } from '../../time/shanghai-date.js';
import { notYetFlagged } from '../not-flagged.js';
import { rowsOf, type SweepJob } from '../job.js';

interface NoFollowUp extends DueInspection {
  follow_up_due: string;
  notice_no: string | null;
  /** The first findings of a proper follow-up, recorded after the cut-off (a late follow-up), if any. */
  late_findings_at: Date | string | null;
  /** A proper follow-up drafted but with no findings recorded yet, if any. */
  pending_id: string | null;
}

/**
 * RECTIFICATION_NO_FOLLOWUP (Art. 20 ¶2: 有前款第二项、第三项情形的，行政执法主体应当……进行跟踪检查并予以记录).
 * The follow-up is the agency's duty after the enterprise's own term: an order is due for follow-up by its
 * due date plus `followUpDays` (FOLLOW_UP_DAYS), and is flagged once when no follow-up recorded findings by
 * the end of that day. Only a follow-up by the same agency at the same enterprise that names the order
 * (follow_up_of) counts; the draft command refuses any other `followUpOf`, and this query checks it again
 * so a row written by another route cannot silence the flag. The end of the day is a fixed +08:00 instant,
 * so the answer is the same whenever the sweeper gets to it (a restart loses nothing).
 */
export const rectificationNoFollowupJob: SweepJob = {
  name: 'rectification-no-followup',
  rule: RectificationNoFollowup.id,
  async runBatch(tx, { at, today, options }, limit) {
    const days = options.followUpDays;
    // Orders whose cut-off (due date + days) is before today: due <= today - days - 1.
    const lastDue = addDays(today, -days - 1);
    const due = await rowsOf<NoFollowUp>(
      tx,
      // The follow-ups per order, read once per batch and hash-joined: a correlated NOT EXISTS re-scanned
      // the inspections for every due row.
      sql`WITH followed AS MATERIALIZED (
            SELECT f.follow_up_of, f.agency_code, f.enterprise_code,
                   min(f.findings_at) AS first_findings_at, min(f.id::text) AS any_id
            FROM inspections f
            WHERE f.follow_up_of IS NOT NULL AND f.state NOT IN ('cancelled', 'merged')
            GROUP BY f.follow_up_of, f.agency_code, f.enterprise_code)
          SELECT i.id, i.agency_code, i.enterprise_code, i.follow_up_due::text AS follow_up_due,
                 i.outcome->>'noticeNo' AS notice_no, a.name, a.district_code,
                 fu.first_findings_at AS late_findings_at, fu.any_id AS pending_id
          FROM inspections i
          JOIN agencies a ON a.code = i.agency_code
          LEFT JOIN followed fu
            ON fu.follow_up_of = i.id AND fu.agency_code = i.agency_code AND fu.enterprise_code = i.enterprise_code
          WHERE i.follow_up_due IS NOT NULL AND i.follow_up_due <= ${lastDue}
            AND i.excluded_relation IS NULL AND i.entity_scope <> 'out_of_scope'
            AND (fu.first_findings_at IS NULL
                 OR fu.first_findings_at >= ((i.follow_up_due + ${days + 1}::int)::text || 'T00:00:00+08:00')::timestamptz)
            AND ${notYetFlagged(RectificationNoFollowup.id, 'inspection', sql.raw('i.id::text'))}
          ORDER BY i.follow_up_due, i.id
          LIMIT ${limit}
          FOR NO KEY UPDATE OF i SKIP LOCKED`,
    );
    return flagRows(tx, at, due, (i) => {
      const result = RectificationNoFollowup.check({
        agencyName: i.name,
        noticeNo: i.notice_no,
        followUpDue: i.follow_up_due,
        days,
        today,
        firstFindingsOn: i.late_findings_at ? shanghaiDate(new Date(i.late_findings_at)) : null,
        followUpPlanned: Boolean(i.pending_id),
      });
      return {
        result,
        subject: inspectionSubject(i, {
          inspectionId: i.id,
          followUpDue: i.follow_up_due,
          followUpBy: result.limit,
          followUpDays: days,
          noticeNo: i.notice_no,
          followUpId: i.pending_id,
          lateFindingsAt: i.late_findings_at ? new Date(i.late_findings_at).toISOString() : null,
          checkedOn: today,
        }),
      };
    });
  },
};
