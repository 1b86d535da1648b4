import { sql } from 'drizzle-orm';
import { settingZh } from '../../rules/setting-text.js';
import { planRevisionJob } from '../plan-revision-job.js';

/**
 * PLAN_AMENDED_NOT_REFILED, the detector half (Art. 14 ¶2: 应当在检查计划调整后报送备案): an annual plan
 * amended and still not submitted again `planRefileWithinDays` days later (PLAN_REFILE_DAYS) is flagged,
 * once per revision. The guard half is in filed-plan.ts: changed and new items cover nothing until filed.
 */
export const planAmendedNotRefiledJob = planRevisionJob({
  name: 'plan-amended-not-refiled',
  rule: 'PLAN_AMENDED_NOT_REFILED',
  subjectType: 'plan',
  days: (o) => o.planRefileWithinDays,
  select: (cutoff, limit, notFlagged) =>
    sql`SELECT p.id, p.agency_code, p.year::text AS label, p.revision, p.amended_at AS since, a.name, a.district_code
          FROM plans p JOIN agencies a ON a.code = p.agency_code
          WHERE p.needs_refiling AND p.state = 'draft' AND p.amended_at <= ${cutoff} AND ${notFlagged(sql.raw('p.id::text'), sql.raw('p.revision'))}
          ORDER BY p.amended_at
          LIMIT ${limit}
          FOR UPDATE OF p SKIP LOCKED`,
  detail: (p, amendedOn, days) => `${p.name}${p.label}年度日常检查计划于${amendedOn}调整（第${p.revision}版），调整后未报送备案，违反第十四条第二款；${settingZh('调整后报送备案的期限', days, '日')}`,
  evidence: (p, amendedAt) => ({ planId: p.id, revision: p.revision, amendedAt }),
});
