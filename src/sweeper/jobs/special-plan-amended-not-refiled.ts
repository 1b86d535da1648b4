import { sql } from 'drizzle-orm';
import { PlanAmendedNotRefiled } from '../../rules/declarations/plans.js';
import { planRevisionJob } from '../plan-revision-job.js';

/**
 * PLAN_AMENDED_NOT_REFILED for special plans (Art. 14 ¶2: 应当在检查计划调整后报送备案): a special plan
 * amended and still in draft — its adjustment neither approved nor reported — `planRefileWithinDays` days
 * later (PLAN_REFILE_DAYS) is flagged, once per revision. The guard half is usable-special-plan.ts.
 */
export const specialPlanAmendedNotRefiledJob = planRevisionJob({
  name: 'special-plan-amended-not-refiled',
  rule: PlanAmendedNotRefiled,
  subjectType: 'special_plan',
  days: (o) => o.planRefileWithinDays,
  select: (cutoff, limit, notFlagged) =>
    sql`SELECT s.id, s.agency_code, s.title AS label, s.revision, s.amended_at AS since, a.name, a.district_code
          FROM special_plans s JOIN agencies a ON a.code = s.agency_code
          WHERE s.state = 'draft' AND s.revision > 1 AND s.amended_at <= ${cutoff} AND ${notFlagged(sql.raw('s.id::text'), sql.raw('s.revision'))}
          ORDER BY s.amended_at
          LIMIT ${limit}
          FOR UPDATE OF s SKIP LOCKED`,
  evidence: (p, amendedAt) => ({ specialPlanId: p.id, revision: p.revision, amendedAt }),
});
