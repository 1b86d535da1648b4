import type { Db } from '../db/client.js';
import type { RuleResult } from '../rules/result.js';

/**
 * JOINT_IN_PLAN (Art. 28): 实施“综合查一次”检查，应当由发起单位会同协同单位在职责范围内，制定年度行政检查计划.
 * Each participating unit's matters of a joint inspection must be in that unit's filed annual plan.
 */
export interface JointPlanQuestion {
  year: number;
  /** The lead unit (发起单位) and every cooperating unit (协同单位) with the matters each inspects. */
  participants: readonly { agencyCode: string; role: 'lead' | 'cooperating'; matterCodes: readonly string[] }[];
}

/**
 * Extension point for the joint-inspection issue. Joint-matter lists (Art. 27) do not exist yet, so this
 * answers "nothing to refuse" ([]) and callers may already call it where a joint inspection is launched.
 * The joint-inspection issue replaces the body: for each participant and matter, findFiledPlanCovering
 * (./filed-plan.ts) in the caller's transaction, mapping a refusal to a JOINT_IN_PLAN result that names
 * the unit; the signature stays as it is.
 */
export async function jointMattersInPlans(_db: Db, _question: JointPlanQuestion): Promise<RuleResult[]> {
  return [];
}
