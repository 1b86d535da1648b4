import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { findAgency, type Agency } from '../registry/agencies.repository.js';
import { ruleResult } from '../rules/result.js';
import { assertActsForAgency } from './plan-access.js';
import { assertWindow, auditSpecial, specialTransition, type SpecialPlanFields } from './special-plan-commands.js';
import { findSpecialPlan, insertSpecialPlan, type SpecialPlan } from './special-plans.repository.js';

/** WH-SCJG and 420106-SCJG are the city and district levels of one bureau (seeds/wuhan-agencies.ts). */
const bureauKey = (code: string) => code.slice(code.lastIndexOf('-') + 1);

/**
 * May `lower` execute a plan of `upperAgency` as a deployment (上级主管部门部署)? Its parent (上级主管部门),
 * or the city level of the same bureau, for agencies whose parent is not recorded.
 */
export function isUpperAuthorityOf(upperAgency: Agency, lower: Agency): boolean {
  if (upperAgency.code === lower.code) return false;
  if (lower.parentCode === upperAgency.code) return true;
  return upperAgency.level === 'city' && lower.level === 'district' && bureauKey(upperAgency.code) === bureauKey(lower.code);
}

/** Why a claimed deployment cannot stand, or null when it can. */
function deploymentProblem(upper: SpecialPlan | undefined, upperAgency: Agency | undefined, lower: Agency, f: SpecialPlanFields): string | null {
  if (!upper || !upperAgency) return '所引用的上级专项检查计划不存在';
  if (!isUpperAuthorityOf(upperAgency, lower)) return `${upperAgency.name}不是${lower.name}的上级主管部门，其专项检查计划不能作为上级部署执行`;
  if (upper.state !== 'published') return `上级专项检查计划“${upper.title}”尚未公布（当前状态 ${upper.state}）`;
  const outside = f.matterCodes.filter((m) => !upper.matterCodes.includes(m));
  if (outside.length) return `检查事项 ${outside.join('、')} 不在上级部署的专项检查计划范围内`;
  if (f.startDate < upper.startDate || f.endDate > upper.endDate) {
    return `执行期间 ${f.startDate}至${f.endDate} 超出上级部署的期间 ${upper.startDate}至${upper.endDate}`;
  }
  return null;
}

/**
 * Drafts a special plan, or — with `deployedFromId` — records the lower agency's execution of an upper
 * authority's published special plan, which enters `deployed` directly: Art. 13 needs no second approval
 * or filing, and Art. 15 keeps its inspections out of the frequency caps.
 */
export async function createSpecialPlan(
  tx: Db,
  scope: CommandScope,
  actor: Principal,
  input: SpecialPlanFields & { agencyCode: string; deployedFromId?: string },
): Promise<SpecialPlan> {
  await assertActsForAgency(tx, actor, input.agencyCode);
  const agency = await findAgency(tx, input.agencyCode);
  if (!agency) throw DomainError.field('body.agencyCode', `行政执法主体 ${input.agencyCode} 不存在`, 'REFERENCE_INVALID');
  assertWindow(input);
  const { deployedFromId, ...fields } = input;
  const base = { ...fields, id: randomUUID(), createdAt: scope.at, updatedAt: scope.at };
  if (!deployedFromId) {
    const plan = await insertSpecialPlan(tx, { ...base, state: 'draft' });
    await auditSpecial(scope, 'drafted', null, plan, agency);
    return plan;
  }
  const upper = await findSpecialPlan(tx, deployedFromId, 'share');
  const upperAgency = upper ? await findAgency(tx, upper.agencyCode) : undefined;
  const problem = deploymentProblem(upper, upperAgency, agency, input);
  if (problem) {
    throw DomainError.fromRules([ruleResult('SPECIAL_WITHOUT_APPROVAL', false, { deployedFromId }, 'upper_authority_published_plan', `${problem}（第十三条）`)]);
  }
  const state = specialTransition({ state: 'draft' }, { type: 'DEPLOY', upperPlanUsable: true });
  const plan = await insertSpecialPlan(tx, {
    ...base,
    state,
    deployedFromId,
    approverKind: 'upper_authority',
    approverName: upperAgency!.name,
    approvalDocNo: upper!.approvalDocNo,
  });
  await auditSpecial(scope, 'deployed', null, plan, agency, { deployedFromId, upperAgencyCode: upperAgency!.code });
  return plan;
}
