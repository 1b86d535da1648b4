import { sql } from 'drizzle-orm';
import { SYSTEM_ACTOR } from '../../flags/raise.js';
import { COUNTED_STATES } from '../../frequency/facts.js';
import { findInspection } from '../../visits/repository.js';
import { flagUncoordinatedSingle } from '../../visits/joint/coordination-flag.js';
import { rowsOf, type SweepJob } from '../job.js';

// Codes issued in the last 30 days are looked at: the later of two uncoordinated visits carries the flag,
// and its code is recent when the pair forms, so a month covers any sweeper downtime without rescanning
// a year of visits every minute.
const LOOKBACK_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * JOINT_NOT_COORDINATED (Art. 26: 应协同尽协同), the sweeper's safety net behind the check made when a code
 * is issued: a single on-site routine or special inspection is flagged when another agency's visit to the
 * same enterprise, within `jointCoordinationDays`, had its code first (ties broken by id) and the two were
 * not one joint task, and a joint-matter list entry in force at the visit listed both agencies with their
 * visits' matters (so a joint task could have been launched; the same test flagUncoordinatedSingle makes,
 * pre-filtered here so unflaggable visits are not selected batch after batch). Once per inspection (the issue-time flag has the same subject, so a pair is never
 * flagged twice).
 */
export const jointNotCoordinatedJob: SweepJob = {
  name: 'joint-not-coordinated',
  rule: 'JOINT_NOT_COORDINATED',
  async runBatch(tx, { at, options }, limit) {
    const days = options.jointCoordinationDays;
    const counted = sql.join(COUNTED_STATES.map((s) => sql`${s}`), sql`, `);
    const due = await rowsOf<{ id: string }>(
      tx,
      sql`SELECT i.id
          FROM inspections i JOIN inspection_codes c ON c.inspection_id = i.id
          WHERE c.issued_at >= ${new Date(at.getTime() - LOOKBACK_MS).toISOString()}
            AND i.mode = 'onsite' AND i.kind IN ('routine', 'special') AND i.state IN (${counted})
            AND NOT EXISTS (SELECT 1 FROM joint_task_parts p WHERE p.inspection_id = i.id)
            AND NOT EXISTS (
              SELECT 1 FROM flags f
              WHERE f.rule = 'JOINT_NOT_COORDINATED' AND f.subject_type = 'inspection' AND f.subject_id = i.id::text)
            AND EXISTS (
              SELECT 1 FROM inspections o
              LEFT JOIN inspection_codes oc ON oc.inspection_id = o.id
              LEFT JOIN joint_task_parts op ON op.inspection_id = o.id
              LEFT JOIN joint_tasks ot ON ot.id = op.task_id
              WHERE o.enterprise_code = i.enterprise_code AND o.agency_code <> i.agency_code
                AND o.mode = 'onsite' AND o.kind IN ('routine', 'special') AND o.state IN (${counted})
                AND o.counted_date BETWEEN i.counted_date - ${days}::int AND i.counted_date + ${days}::int
                AND (COALESCE(oc.issued_at, ot.code_issued_at) < c.issued_at
                     OR (COALESCE(oc.issued_at, ot.code_issued_at) = c.issued_at AND o.id < i.id))
                AND EXISTS (
                  SELECT 1 FROM joint_lists l CROSS JOIN LATERAL jsonb_array_elements(l.entries) e
                  WHERE l.state IN ('published', 'superseded') AND l.published_at <= i.window_start
                    AND (l.superseded_at IS NULL OR l.superseded_at > i.window_start)
                    AND EXISTS (SELECT 1 FROM jsonb_array_elements(e->'units') u
                                WHERE u->>'agencyCode' = i.agency_code AND u->'matterCodes' ?| i.matter_codes)
                    AND EXISTS (SELECT 1 FROM jsonb_array_elements(e->'units') u
                                WHERE u->>'agencyCode' = o.agency_code AND u->'matterCodes' ?| o.matter_codes)))
          ORDER BY c.issued_at, i.id
          LIMIT ${limit}
          FOR NO KEY UPDATE OF i SKIP LOCKED`,
    );
    let raised = 0;
    for (const { id } of due) {
      const i = (await findInspection(tx, id))!;
      if (await flagUncoordinatedSingle(tx, at, SYSTEM_ACTOR, i, days)) raised++;
    }
    return { selected: due.length, raised };
  },
};
