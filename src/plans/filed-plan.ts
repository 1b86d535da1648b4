import type { Db } from '../db/client.js';
import { ruleResult, type RuleResult } from '../rules/result.js';
import { findPlanFor, planItemsOf, type Plan, type PlanItem } from './plans.repository.js';

/**
 * "Which filed plan covers a routine inspection of matter M by agency A in year Y" (Art. 13, 14): the
 * guard behind ROUTINE_WITHOUT_PLAN and PLAN_AMENDED_NOT_REFILED, for the code-issuing transaction.
 */
export type PlanCoverage = { plan: Plan; item: PlanItem; items: PlanItem[] } | { refusal: RuleResult };

/** Pure: decides from the agency's plan row for the year (or none) and its items. */
export function filedPlanCovering(plan: Plan | undefined, items: readonly PlanItem[], matterCode: string, year: number): PlanCoverage {
  if (!plan) {
    return { refusal: ruleResult('ROUTINE_WITHOUT_PLAN', false, null, 'filed', `本单位无${year}年度日常检查计划，不得实施日常检查（第十三条）`) };
  }
  // An adjusted plan covers nothing until the bureau files it again, whatever state it is in now.
  if (plan.needsRefiling) {
    return {
      refusal: ruleResult(
        'PLAN_AMENDED_NOT_REFILED',
        false,
        { state: plan.state, revision: plan.revision, amendedAt: plan.amendedAt?.toISOString() ?? null },
        'filed',
        `${year}年度日常检查计划已调整（第${plan.revision}版），尚未重新报送备案，调整后的计划不得使用（第十四条）`,
      ),
    };
  }
  if (plan.state !== 'filed' && plan.state !== 'published') {
    return {
      refusal: ruleResult('ROUTINE_WITHOUT_PLAN', false, plan.state, 'filed', `${year}年度日常检查计划尚未备案（当前状态 ${plan.state}），不得实施日常检查（第十三条）`),
    };
  }
  const matching = items.filter((i) => i.matterCode === matterCode);
  if (matching.length === 0) {
    return {
      refusal: ruleResult('ROUTINE_WITHOUT_PLAN', false, matterCode, items.map((i) => i.matterCode), `检查事项 ${matterCode} 未列入${year}年度日常检查计划（第十三条）`),
    };
  }
  return { plan, item: matching[0]!, items: matching };
}

/**
 * Loads the plan and applies filedPlanCovering. Pass the transaction you issue in; `lock: 'share'` holds
 * the plan row so an amendment (which locks it FOR UPDATE) cannot slip in before your commit.
 */
export async function findFiledPlanCovering(
  db: Db,
  agencyCode: string,
  matterCode: string,
  year: number,
  options: { lock?: 'share' } = {},
): Promise<PlanCoverage> {
  const plan = await findPlanFor(db, agencyCode, year, options.lock);
  const items = plan ? await planItemsOf(db, plan.id) : [];
  return filedPlanCovering(plan, items, matterCode, year);
}
