import { sql } from 'drizzle-orm';
import { PlanAmendedNotRefiled } from '../../rules/declarations/plans.js';
import { planRevisionJob } from '../plan-revision-job.js';

/**
 * PLAN_AMENDED_NOT_REFILED, the detector half (Art. 14 ¶2: 应当在检查计划调整后报送备案): an annual plan
 * amended and still not submitted again `planRefileWithinDays` days later (PLAN_REFILE_DAYS) is flagged,
 * once per revision. The guard half is in filed-plan.ts: changed and new items cover nothing until filed.
 */
export const planAmendedNotRefiledJob = planRevisionJob({
  name: 'plan-amended-not-refiled',
  rule: PlanAmendedNotRefiled,
  subjectType: 'plan',
  days: (o) => o.planRefileWithinDays,
  select: (cutoff, limit, notFlagged) =>
    sql`SELECT p.id, p.agency_code, p.year::text AS label, p.revision, p.amended_at AS since, a.name, a.district_code
          FROM plans p JOIN agencies a ON a.code = p.agency_code
          WHERE p.needs_refiling AND p.state = 'draft' AND p.amended_at <= ${cutoff} AND ${notFlagged(sql.raw('p.id::text'), sql.raw('p.revision'))}
          ORDER BY p.amended_at
          LIMIT ${limit}
          FOR UPDATE OF p SKIP LOCKED`,
  evidence: (p, amendedAt) => ({ planId: p.id, revision: p.revision, amendedAt }),
});
