import { sql } from 'drizzle-orm';
import { raiseFlag, SYSTEM_ACTOR } from '../../flags/raise.js';
import { notYetFlagged } from '../not-flagged.js';
import { shanghaiDate } from '../../time/shanghai-date.js';
import { rowsOf, type SweepJob } from '../job.js';

interface DuePlan {
  id: string;
  agency_code: string;
  year: number;
  revision: number;
  filed_at: Date | string;
  name: string;
  district_code: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * PLAN_NOT_PUBLISHED (Art. 14: 行政执法主体应当依法向社会公布行政检查计划): an annual plan still filed but
 * unpublished `planPublishWithinDays` days after filing is flagged, once per revision (an adjusted plan
 * that is refiled must be published again).
 */
export const planNotPublishedJob: SweepJob = {
  name: 'plan-not-published',
  rule: 'PLAN_NOT_PUBLISHED',
  async runBatch(tx, { at, options }, limit) {
    const days = options.planPublishWithinDays;
    const cutoff = new Date(at.getTime() - days * DAY_MS);
    const due = await rowsOf<DuePlan>(
      tx,
      sql`SELECT p.id, p.agency_code, p.year, p.revision, p.filed_at, a.name, a.district_code
          FROM plans p JOIN agencies a ON a.code = p.agency_code
          WHERE p.state = 'filed' AND p.filed_at <= ${cutoff.toISOString()}
            AND ${notYetFlagged('PLAN_NOT_PUBLISHED', 'plan', sql.raw('p.id::text'), sql.raw("'r' || p.revision"))}
          ORDER BY p.filed_at
          LIMIT ${limit}
          FOR UPDATE OF p SKIP LOCKED`,
    );
    let raised = 0;
    for (const p of due) {
      const filedOn = shanghaiDate(new Date(p.filed_at));
      const id = await raiseFlag(tx, at, SYSTEM_ACTOR, {
        rule: 'PLAN_NOT_PUBLISHED',
        subjectType: 'plan',
        subjectId: p.id,
        occurrence: `r${p.revision}`,
        agencyCode: p.agency_code,
        districtCode: p.district_code,
        observed: filedOn,
        limit: days,
        detail: `${p.name}${p.year}年度日常检查计划（第${p.revision}版）于${filedOn}备案，${days}日内未向社会公布，违反第十四条`,
        evidence: { planId: p.id, revision: p.revision, filedAt: new Date(p.filed_at).toISOString() },
      });
      if (id) raised++;
    }
    return { selected: due.length, raised };
  },
};
