import { sql } from 'drizzle-orm';
import { raiseFlag, SYSTEM_ACTOR } from '../../flags/raise.js';
import { shanghaiDate } from '../../time/shanghai-date.js';
import { notYetFlagged } from '../not-flagged.js';
import { rowsOf, type SweepJob } from '../job.js';

interface DuePlan {
  id: string;
  agency_code: string;
  title: string;
  revision: number;
  amended_at: Date | string;
  name: string;
  district_code: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * PLAN_AMENDED_NOT_REFILED for special plans (Art. 14 ¶2: 应当在检查计划调整后报送备案): a special plan
 * amended and still in draft — its adjustment neither approved nor reported — `planRefileWithinDays` days
 * later (PLAN_REFILE_DAYS) is flagged, once per revision. The guard half is usable-special-plan.ts.
 */
export const specialPlanAmendedNotRefiledJob: SweepJob = {
  name: 'special-plan-amended-not-refiled',
  rule: 'PLAN_AMENDED_NOT_REFILED',
  async runBatch(tx, { at, options }, limit) {
    const days = options.planRefileWithinDays;
    const cutoff = new Date(at.getTime() - days * DAY_MS);
    const due = await rowsOf<DuePlan>(
      tx,
      sql`SELECT s.id, s.agency_code, s.title, s.revision, s.amended_at, a.name, a.district_code
          FROM special_plans s JOIN agencies a ON a.code = s.agency_code
          WHERE s.state = 'draft' AND s.revision > 1 AND s.amended_at <= ${cutoff.toISOString()}
            AND ${notYetFlagged('PLAN_AMENDED_NOT_REFILED', 'special_plan', sql.raw('s.id::text'), sql.raw("'r' || s.revision"))}
          ORDER BY s.amended_at
          LIMIT ${limit}
          FOR UPDATE OF s SKIP LOCKED`,
    );
    let raised = 0;
    for (const p of due) {
      const amendedOn = shanghaiDate(new Date(p.amended_at));
      const id = await raiseFlag(tx, at, SYSTEM_ACTOR, {
        rule: 'PLAN_AMENDED_NOT_REFILED',
        subjectType: 'special_plan',
        subjectId: p.id,
        occurrence: `r${p.revision}`,
        agencyCode: p.agency_code,
        districtCode: p.district_code,
        observed: amendedOn,
        limit: days,
        detail: `${p.name}专项检查计划“${p.title}”于${amendedOn}调整（第${p.revision}版），${days}日内未重新报送备案，违反第十四条第二款`,
        evidence: { specialPlanId: p.id, revision: p.revision, amendedAt: new Date(p.amended_at).toISOString() },
      });
      if (id) raised++;
    }
    return { selected: due.length, raised };
  },
};
