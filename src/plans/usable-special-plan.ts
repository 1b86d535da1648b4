import { stateLabel } from '../../machines/labels.js';
import { specialPlanMachine } from '../../machines/special-plan.machine.js';
import type { Db } from '../db/client.js';
import { ruleResult, type RuleResult } from '../rules/result.js';
import { findSpecialPlan, USABLE_SPECIAL_STATES, type SpecialPlan } from './special-plans.repository.js';

/**
 * "May agency A carry out a special inspection of matter M on date D under special plan P" (Art. 13):
 * the guard behind SPECIAL_WITHOUT_APPROVAL for the code-issuing transaction. A plan is usable when it is
 * the agency's own, published (approved, filed, published) or deployed by an upper authority, and covers
 * the matter and the date. `upperDeployed` tells the frequency check not to count it (Art. 15).
 */
export type SpecialPlanUse = { plan: SpecialPlan; upperDeployed: boolean } | { refusal: RuleResult };

const refuse = (observed: unknown, detail: string): SpecialPlanUse => ({
  refusal: ruleResult('SPECIAL_WITHOUT_APPROVAL', false, observed, 'approved_filed_published_or_deployed', `${detail}（第十三条）`),
});

/** Pure: decides from the plan row (or none). */
export function usableSpecialPlan(plan: SpecialPlan | undefined, agencyCode: string, matterCode: string, date: string): SpecialPlanUse {
  if (!plan) return refuse(null, '专项检查计划不存在，专项检查须有经批准、备案并公布的专项检查计划');
  if (plan.agencyCode !== agencyCode) {
    return refuse({ agencyCode: plan.agencyCode }, `专项检查计划“${plan.title}”不属于本单位，不能用于本单位的检查`);
  }
  if (!USABLE_SPECIAL_STATES.includes(plan.state)) {
    return refuse({ state: plan.state }, `专项检查计划“${plan.title}”尚未完成批准、备案和公布（当前状态为“${stateLabel(specialPlanMachine.id, plan.state)}”）`);
  }
  if (!plan.matterCodes.includes(matterCode)) {
    return refuse({ matterCode, matterCodes: plan.matterCodes }, `检查事项 ${matterCode} 不在专项检查计划“${plan.title}”范围内`);
  }
  if (date < plan.startDate || date > plan.endDate) {
    return refuse({ date, startDate: plan.startDate, endDate: plan.endDate }, `${date} 不在专项检查计划“${plan.title}”的实施期间 ${plan.startDate}至${plan.endDate} 内`);
  }
  return { plan, upperDeployed: plan.state === 'deployed' && plan.deployedFromId !== null };
}

/** Loads the plan and applies usableSpecialPlan; pass the transaction you issue in. */
export async function findUsableSpecialPlan(
  db: Db,
  specialPlanId: string,
  agencyCode: string,
  matterCode: string,
  date: string,
  options: { lock?: 'share' } = {},
): Promise<SpecialPlanUse> {
  return usableSpecialPlan(await findSpecialPlan(db, specialPlanId, options.lock), agencyCode, matterCode, date);
}
