import { sql } from 'drizzle-orm';
import { PlanNotPublished } from '../../rules/declarations/plans.js';
import { planRevisionJob } from '../plan-revision-job.js';

/**
 * PLAN_NOT_PUBLISHED (Art. 14: 行政执法主体应当依法向社会公布行政检查计划): an annual plan still filed but
 * unpublished `planPublishWithinDays` days after filing is flagged, once per revision (an adjusted plan
 * that is refiled must be published again).
 */
export const planNotPublishedJob = planRevisionJob({
  name: 'plan-not-published',
  rule: PlanNotPublished,
  subjectType: 'plan',
  days: (o) => o.planPublishWithinDays,
  select: (cutoff, limit, notFlagged) =>
    sql`SELECT p.id, p.agency_code, p.year::text AS label, p.revision, p.filed_at AS since, a.name, a.district_code
          FROM plans p JOIN agencies a ON a.code = p.agency_code
          WHERE p.state = 'filed' AND p.filed_at <= ${cutoff} AND ${notFlagged(sql.raw('p.id::text'), sql.raw('p.revision'))}
          ORDER BY p.filed_at
          LIMIT ${limit}
          FOR UPDATE OF p SKIP LOCKED`,
  evidence: (p, filedAt) => ({ planId: p.id, revision: p.revision, filedAt }),
});
