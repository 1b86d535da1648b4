import { sql } from 'drizzle-orm';
import { raiseFlag, SYSTEM_ACTOR } from '../../flags/raise.js';
import { addDays } from '../../time/shanghai-date.js';
import { notYetFlagged } from '../not-flagged.js';
import { rowsOf, type SweepJob } from '../job.js';

/**
 * LEAD_SHARED (Art. 9: a case inspection rests on its own lead). One agency's lead reference serving case
 * inspections of LEAD_SHARED_MIN_ENTERPRISES or more enterprises within LEAD_SHARED_WINDOW_DAYS is flagged
 * once per reference: a list of enterprises under one "lead" is how a campaign is relabelled as cases.
 */
export const leadSharedJob: SweepJob = {
  name: 'lead-shared',
  rule: 'LEAD_SHARED',
  async runBatch(tx, { at, today, options }, limit) {
    const s = options.relabelling;
    const from = addDays(today, -s.leadSharedWindowDays);
    const due = await rowsOf<{ agency_code: string; district_code: string | null; lead_ref: string; enterprises: string[]; inspections: string[] }>(
      tx,
      sql`SELECT i.agency_code, a.district_code, btrim(i.lead_ref) AS lead_ref,
                 array_agg(DISTINCT i.enterprise_code) AS enterprises, array_agg(i.id::text) AS inspections
            FROM inspections i JOIN agencies a ON a.code = i.agency_code
           WHERE i.kind = 'case' AND i.lead_ref IS NOT NULL AND btrim(i.lead_ref) <> ''
             AND i.counted_date > ${from}::date
             AND ${notYetFlagged('LEAD_SHARED', 'agency', sql`i.agency_code`, sql`'lead:' || btrim(i.lead_ref)`)}
           GROUP BY i.agency_code, a.district_code, btrim(i.lead_ref)
          HAVING count(DISTINCT i.enterprise_code) >= ${s.leadSharedMinEnterprises}::int
           ORDER BY i.agency_code, btrim(i.lead_ref)
           LIMIT ${limit}`,
    );
    let raised = 0;
    for (const r of due) {
      const id = await raiseFlag(tx, at, SYSTEM_ACTOR, {
        rule: 'LEAD_SHARED',
        subjectType: 'agency',
        subjectId: r.agency_code,
        occurrence: `lead:${r.lead_ref}`,
        agencyCode: r.agency_code,
        districtCode: r.district_code,
        observed: { leadRef: r.lead_ref, enterprises: r.enterprises.length },
        limit: { LEAD_SHARED_MIN_ENTERPRISES: s.leadSharedMinEnterprises, LEAD_SHARED_WINDOW_DAYS: s.leadSharedWindowDays },
        detail: `线索编号“${r.lead_ref}”用于${r.enterprises.length}家企业的个案检查；个案检查应依其线索实施（第九条），一条线索对应多家企业的，可能是以个案名义实施的批量检查（企业家数阈值为本平台的检测设置，非本办法规定），请监督核查`,
        evidence: { enterprises: r.enterprises, inspections: r.inspections },
      });
      if (id) raised++;
    }
    return { selected: due.length, raised };
  },
};
