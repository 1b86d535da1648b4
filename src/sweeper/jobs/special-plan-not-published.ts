import { sql } from 'drizzle-orm';
import { raiseFlag, SYSTEM_ACTOR } from '../../flags/raise.js';
import { notYetFlagged } from '../not-flagged.js';
import { shanghaiDate } from '../../time/shanghai-date.js';
import { rowsOf, type SweepJob } from '../job.js';

interface DuePlan {
  id: string;
  agency_code: string;
  title: string;
  revision: number;
  filed_at: Date | string;
  name: string;
  district_code: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * PLAN_NOT_PUBLISHED for special plans (Art. 14: 依法向社会公布行政检查计划 covers 专项检查计划 too): a
 * special plan still filed but unpublished `planPublishWithinDays` days after filing is flagged, once per
 * revision, on the same period as annual plans (plan-not-published.ts). A deployed plan is never filed here.
 */
export const specialPlanNotPublishedJob: SweepJob = {
  name: 'special-plan-not-published',
  rule: 'PLAN_NOT_PUBLISHED',
  async runBatch(tx, { at, options }, limit) {
    const days = options.planPublishWithinDays;
    const cutoff = new Date(at.getTime() - days * DAY_MS);
    const due = await rowsOf<DuePlan>(
      tx,
      sql`SELECT s.id, s.agency_code, s.title, s.revision, s.filed_at, a.name, a.district_code
          FROM special_plans s JOIN agencies a ON a.code = s.agency_code
          WHERE s.state = 'filed' AND s.filed_at <= ${cutoff.toISOString()}
            AND ${notYetFlagged('PLAN_NOT_PUBLISHED', 'special_plan', sql.raw('s.id::text'), sql.raw("'r' || s.revision"))}
          ORDER BY s.filed_at
          LIMIT ${limit}
          FOR UPDATE OF s SKIP LOCKED`,
    );
    let raised = 0;
    for (const p of due) {
      const filedOn = shanghaiDate(new Date(p.filed_at));
      const id = await raiseFlag(tx, at, SYSTEM_ACTOR, {
        rule: 'PLAN_NOT_PUBLISHED',
        subjectType: 'special_plan',
        subjectId: p.id,
        occurrence: `r${p.revision}`,
        agencyCode: p.agency_code,
        districtCode: p.district_code,
        observed: filedOn,
        limit: days,
        detail: `${p.name}专项检查计划“${p.title}”（第${p.revision}版）于${filedOn}备案，${days}日内未向社会公布，违反第十四条`,
        evidence: { specialPlanId: p.id, revision: p.revision, filedAt: new Date(p.filed_at).toISOString() },
      });
      if (id) raised++;
    }
    return { selected: due.length, raised };
  },
};
