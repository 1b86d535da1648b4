import { stateLabel } from '../../machines/labels.js';
import { PlanAmendedNotRefiled, SpecialWithoutApproval } from '../rules/declarations/plans.js';
import { specialPlanMachine } from '../../machines/special-plan.machine.js';
import type { Db } from '../db/client.js';
import type { RuleResult } from '../rules/result.js';
import { lastPublishedVersion, type SpecialPlanVersion } from './special-plan-versions.repository.js';
import { findSpecialPlan, USABLE_SPECIAL_STATES, type SpecialPlan } from './special-plans.repository.js';

/**
 * "May agency A carry out a special inspection of matter M on date D under special plan P" (Art. 13):
 * the guard behind SPECIAL_WITHOUT_APPROVAL for the code-issuing transaction. A plan is usable when it is
 * the agency's own, published (approved, filed, published) or deployed by an upper authority, and covers
 * the matter and the date. `upperDeployed` tells the frequency check not to count it (Art. 15): every
 * deployed plan executes an upper-level deployment, whether cited from a plan held here or by its
 * issuing authority and 文号.
 *
 * A published plan being adjusted (Art. 14 ¶2) keeps its last published version in force for what the
 * adjustment left in place — a matter and date both the version and the adjustment cover; what the
 * adjustment adds or removes waits for the adjusted plan to be filed and published
 * (PLAN_AMENDED_NOT_REFILED).
 */
export type SpecialPlanUse = { plan: SpecialPlan; upperDeployed: boolean; revision: number } | { refusal: RuleResult };

type Scope = Pick<SpecialPlan, 'matterCodes' | 'startDate' | 'endDate'>;

const refuse = (observed: unknown, detail: string): SpecialPlanUse => ({
  refusal: SpecialWithoutApproval.fail(observed, 'approved_filed_published_or_deployed', `${detail}（第十三条）`),
});

const covers = (s: Scope, matterCode: string, date: string) => s.matterCodes.includes(matterCode) && date >= s.startDate && date <= s.endDate;

/** What the plan (or the version in force) does not cover, as a refusal. */
function outsideScope(plan: SpecialPlan, s: Scope, matterCode: string, date: string): SpecialPlanUse {
  if (!s.matterCodes.includes(matterCode)) {
    return refuse({ matterCode, matterCodes: s.matterCodes }, `检查事项 ${matterCode} 不在专项检查计划“${plan.title}”范围内`);
  }
  return refuse({ date, startDate: s.startDate, endDate: s.endDate }, `${date} 不在专项检查计划“${plan.title}”的实施期间 ${s.startDate}至${s.endDate} 内`);
}

/** Pure: decides from the plan row (or none) and, for a plan being adjusted, its last published version. */
export function usableSpecialPlan(
  plan: SpecialPlan | undefined,
  agencyCode: string,
  matterCode: string,
  date: string,
  inForce?: SpecialPlanVersion,
): SpecialPlanUse {
  if (!plan) return refuse(null, '专项检查计划不存在，专项检查须有经批准、备案并公布的专项检查计划');
  if (plan.agencyCode !== agencyCode) {
    return refuse({ agencyCode: plan.agencyCode }, `专项检查计划“${plan.title}”不属于本单位，不能用于本单位的检查`);
  }
  if (!USABLE_SPECIAL_STATES.includes(plan.state)) {
    if (inForce && inForce.revision < plan.revision) return underAdjustment(plan, inForce, matterCode, date);
    return refuse({ state: plan.state }, `专项检查计划“${plan.title}”尚未完成批准、备案和公布（当前状态为“${stateLabel(specialPlanMachine.id, plan.state)}”）`);
  }
  if (!covers(plan, matterCode, date)) return outsideScope(plan, plan, matterCode, date);
  return { plan, upperDeployed: plan.state === 'deployed', revision: plan.revision };
}

function underAdjustment(plan: SpecialPlan, inForce: SpecialPlanVersion, matterCode: string, date: string): SpecialPlanUse {
  const old = covers(inForce, matterCode, date);
  const adjusted = covers(plan, matterCode, date);
  if (old && adjusted) return { plan, upperDeployed: false, revision: inForce.revision };
  if (!old && !adjusted) return outsideScope(plan, inForce, matterCode, date);
  const detail = `专项检查计划“${plan.title}”已调整（第${plan.revision}版），调整涉及检查事项 ${matterCode} 于 ${date} 的实施，须待调整后的计划重新备案并公布（第十四条第二款）`;
  return {
    refusal: PlanAmendedNotRefiled.fail({ revision: plan.revision, inForceRevision: inForce.revision, matterCode, date }, 'filed_and_published', detail),
  };
}

/** Loads the plan (and, while it is being adjusted, its version in force); pass the transaction you issue in. */
export async function findUsableSpecialPlan(
  db: Db,
  specialPlanId: string,
  agencyCode: string,
  matterCode: string,
  date: string,
  options: { lock?: 'share' } = {},
): Promise<SpecialPlanUse> {
  const plan = await findSpecialPlan(db, specialPlanId, options.lock);
  const inForce = plan && plan.revision > 1 && !USABLE_SPECIAL_STATES.includes(plan.state) ? await lastPublishedVersion(db, plan.id) : undefined;
  return usableSpecialPlan(plan, agencyCode, matterCode, date, inForce);
}
