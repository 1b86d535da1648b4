import { sql } from 'drizzle-orm';
import { LeadShared } from '../../rules/declarations/relabelling.js';
import { flagRows } from '../confirm.js';
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
  rule: LeadShared.id,
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
             AND ${notYetFlagged(LeadShared.id, 'agency', sql`i.agency_code`, sql`'lead:' || btrim(i.lead_ref)`)}
           GROUP BY i.agency_code, a.district_code, btrim(i.lead_ref)
          HAVING count(DISTINCT i.enterprise_code) >= ${s.leadSharedMinEnterprises}::int
           ORDER BY i.agency_code, btrim(i.lead_ref)
           LIMIT ${limit}`,
    );
    return flagRows(tx, at, due, (r) => {
      const result = LeadShared.check({ leadRef: r.lead_ref, enterprises: r.enterprises, minEnterprises: s.leadSharedMinEnterprises, windowDays: s.leadSharedWindowDays });
      return { result, subject: { subjectType: 'agency', subjectId: r.agency_code, occurrence: `lead:${r.lead_ref}`, agencyCode: r.agency_code, districtCode: r.district_code, evidence: { enterprises: r.enterprises, inspections: r.inspections } } };
    });
  },
};
