import type { Db } from '../db/client.js';
import { JointInPlan } from '../rules/declarations/plans.js';
import { findAgency } from '../registry/agencies.repository.js';
import type { RuleResult } from '../rules/result.js';
import { findFiledPlanCovering } from './filed-plan.js';

/**
 * JOINT_IN_PLAN (Art. 28): 实施“综合查一次”检查，应当由发起单位会同协同单位在职责范围内，制定年度行政检查计划.
 * Each participating unit's matters of a joint inspection must be in that unit's filed annual plan.
 */
export interface JointPlanQuestion {
  year: number;
  /** The lead unit (发起单位) and every cooperating unit (协同单位) with the matters each inspects. */
  participants: readonly { agencyCode: string; role: 'lead' | 'cooperating'; matterCodes: readonly string[] }[];
}

const ROLE_ZH = { lead: '发起单位', cooperating: '协同单位' } as const;

/**
 * One result per participant and matter, read in the caller's transaction with the plan rows held FOR
 * SHARE (an amendment cannot slip in before the caller commits). A plan that does not cover the matter —
 * no plan, not filed, adjusted and not refiled, matter missing — becomes a failed JOINT_IN_PLAN result that
 * names the unit and keeps the underlying rule (ROUTINE_WITHOUT_PLAN / PLAN_AMENDED_NOT_REFILED) as the
 * observed cause.
 */
export async function jointMattersInPlans(db: Db, question: JointPlanQuestion): Promise<RuleResult[]> {
  const out: RuleResult[] = [];
  for (const p of question.participants) {
    const name = (await findAgency(db, p.agencyCode))?.name ?? p.agencyCode;
    for (const matterCode of p.matterCodes) {
      const coverage = await findFiledPlanCovering(db, p.agencyCode, matterCode, question.year, { lock: 'share' });
      const observed = { agencyCode: p.agencyCode, role: p.role, matterCode, year: question.year };
      if ('refusal' in coverage) {
        out.push(
          JointInPlan.fail({ ...observed, cause: coverage.refusal.rule, causeObserved: coverage.refusal.observed },
            'in the unit’s filed annual routine plan',
            `${ROLE_ZH[p.role]}${name}的“综合查一次”检查事项 ${matterCode} 未列入其已备案的${question.year}年度日常检查计划：${coverage.refusal.detail ?? coverage.refusal.rule}（第二十八条）`,
          ),
        );
      } else {
        out.push(JointInPlan.pass({ ...observed, planId: coverage.plan.id }, 'in the unit’s filed annual routine plan'));
      }
    }
  }
  return out;
}
