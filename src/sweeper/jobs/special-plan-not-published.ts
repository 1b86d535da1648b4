import { sql } from 'drizzle-orm';
import { PlanNotPublished } from '../../rules/declarations/plans.js';
import { planRevisionJob } from '../plan-revision-job.js';

/**
 * PLAN_NOT_PUBLISHED for special plans (Art. 14: 依法向社会公布行政检查计划 covers 专项检查计划 too): a
 * special plan still filed but unpublished `planPublishWithinDays` days after filing is flagged, once per
 * revision, on the same period as annual plans. A deployed plan is never filed here.
 */
export const specialPlanNotPublishedJob = planRevisionJob({
  name: 'special-plan-not-published',
  rule: PlanNotPublished,
  subjectType: 'special_plan',
  days: (o) => o.planPublishWithinDays,
  select: (cutoff, limit, notFlagged) =>
    sql`SELECT s.id, s.agency_code, s.title AS label, s.revision, s.filed_at AS since, a.name, a.district_code
          FROM special_plans s JOIN agencies a ON a.code = s.agency_code
          WHERE s.state = 'filed' AND s.filed_at <= ${cutoff} AND ${notFlagged(sql.raw('s.id::text'), sql.raw('s.revision'))}
          ORDER BY s.filed_at
          LIMIT ${limit}
          FOR UPDATE OF s SKIP LOCKED`,
  evidence: (p, filedAt) => ({ specialPlanId: p.id, revision: p.revision, filedAt }),
});
