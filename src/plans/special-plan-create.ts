import { randomUUID } from 'node:crypto';
import { MatterUnpublished } from '../rules/declarations/authority.js';
import { SpecialWithoutApproval } from '../rules/declarations/plans.js';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { findAgency, type Agency } from '../registry/agencies.repository.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { assertActsForAgency } from '../access/index.js';
import { assertWindow, auditSpecial, specialTransition, unpublishedMatters, type SpecialPlanFields } from './special-plan-commands.js';
import { findSpecialPlan, insertSpecialPlan, type SpecialPlan } from './special-plans.repository.js';
import { isUpperAuthorityOf, namedAuthority } from './upper-authority.js';
import { recordDeclaration } from '../declarations/record.js';

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

/** An upper-level deployment recorded by its issuing authority and document number (上级部署的专项检查, 文号). */
export interface DeploymentRecord {
  deploymentAuthority?: string;
  deploymentDocNo?: string;
}

const hasText = (s: string | undefined): s is string => s !== undefined && s.trim().length > 0;

/**
 * Drafts a special plan, or records the agency's execution of an upper-level deployment (执行上级部署的专项
 * 检查), which enters `deployed` directly: Art. 13 ¶2 needs no second approval or filing, and Art. 15 keeps
 * its inspections out of the frequency caps. A deployment is recorded either from the upper authority's
 * published plan held here (`deployedFromId`) or, for one issued outside the engine (a provincial or
 * national authority's), by its issuing authority and document number.
 */
export async function createSpecialPlan(
  tx: Db,
  scope: CommandScope,
  actor: Principal,
  input: SpecialPlanFields & { agencyCode: string; deployedFromId?: string } & DeploymentRecord,
): Promise<SpecialPlan> {
  await assertActsForAgency(tx, actor, input.agencyCode);
  const agency = await findAgency(tx, input.agencyCode);
  if (!agency) throw DomainError.field('body.agencyCode', `行政执法主体 ${input.agencyCode} 不存在`, 'REFERENCE_INVALID');
  assertWindow(input);
  const { deployedFromId, deploymentAuthority, deploymentDocNo, ...fields } = input;
  const base = { ...fields, id: randomUUID(), createdAt: scope.at, updatedAt: scope.at };
  if (deployedFromId && deploymentAuthority !== undefined) {
    throw DomainError.field('body.deploymentAuthority', '引用上级专项检查计划登记时，部署机关即制定该计划的上级主管部门，不另行填写');
  }
  if (deployedFromId) return deployFromHeldPlan(tx, scope, agency, input, base, deployedFromId, deploymentDocNo);
  if (deploymentAuthority !== undefined || deploymentDocNo !== undefined) {
    if (!hasText(deploymentAuthority)) throw DomainError.field('body.deploymentAuthority', '登记上级部署的专项检查须写明部署机关');
    if (!hasText(deploymentDocNo)) throw DomainError.field('body.deploymentDocNo', '登记上级部署的专项检查须写明部署文件的文号');
    return deployByDocument(tx, scope, actor, agency, base, { deploymentAuthority: deploymentAuthority.trim(), deploymentDocNo: deploymentDocNo.trim() });
  }
  const plan = await insertSpecialPlan(tx, { ...base, state: 'draft' });
  await auditSpecial(scope, 'drafted', null, plan, agency);
  return plan;
}

type NewRow = SpecialPlanFields & { agencyCode: string; id: string; createdAt: Date; updatedAt: Date };

async function deployFromHeldPlan(tx: Db, scope: CommandScope, agency: Agency, input: SpecialPlanFields, base: NewRow, deployedFromId: string, docNo: string | undefined) {
  const upper = await findSpecialPlan(tx, deployedFromId, 'share');
  const upperAgency = upper ? await findAgency(tx, upper.agencyCode) : undefined;
  const problem = deploymentProblem(upper, upperAgency, agency, input);
  if (problem) {
    throw DomainError.fromRules([SpecialWithoutApproval.fail({ deployedFromId }, 'upper_authority_published_plan', `${problem}（第十三条）`)]);
  }
  const state = specialTransition({ state: 'draft' }, { type: 'DEPLOY', upperPlanUsable: true });
  const plan = await insertSpecialPlan(tx, {
    ...base,
    state,
    deployedFromId,
    deploymentAuthority: upperAgency!.name,
    deploymentDocNo: hasText(docNo) ? docNo.trim() : upper!.approvalDocNo,
    approverKind: 'upper_authority',
    approverName: upperAgency!.name,
    approvalDocNo: upper!.approvalDocNo,
  });
  await auditSpecial(scope, 'deployed', null, plan, agency, { deployedFromId, upperAgencyCode: upperAgency!.code, deploymentDocNo: plan.deploymentDocNo });
  return plan;
}

/**
 * A deployment issued outside the engine, cited by authority and 文号. The engine cannot read that document,
 * so what it checks is what it holds: the matters are on the agency's published list (Art. 7). The record is
 * public and on the audit chain, where the supervisors see the cited document.
 */
async function deployByDocument(tx: Db, scope: CommandScope, actor: Principal, agency: Agency, base: NewRow, record: Required<DeploymentRecord>) {
  // Art. 13 ¶2, 15: the deploying authority must be upper to the agency. One the registry holds is checked
  // (itself or a non-upper is refused); the document itself is not held here, so the deployment is declared.
  const named = await namedAuthority(tx, record.deploymentAuthority);
  if (named && !isUpperAuthorityOf(named, agency)) {
    const detail = named.code === agency.code ? `${agency.name}不能作为自身的上级部署机关；执行上级部署的专项检查须由上级主管部门部署（第十三条第二款、第十五条）` : `${named.name}不是${agency.name}的上级主管部门，不能作为上级部署机关（第十三条第二款、第十五条）`;
    throw DomainError.fromRules([SpecialWithoutApproval.fail({ deploymentAuthority: record.deploymentAuthority }, 'an upper authority of the agency', detail)]);
  }
  const today = shanghaiDate(scope.at);
  const missing = await unpublishedMatters(tx, agency.code, base.matterCodes, today);
  if (missing.length) {
    const detail = `以下检查事项未列入${agency.name}已公布的行政检查事项清单（${today}），不能执行：${missing.join('、')}`;
    throw DomainError.fromRules([MatterUnpublished.fail(missing, 'published', detail)]);
  }
  const state = specialTransition({ state: 'draft' }, { type: 'DEPLOY', upperPlanUsable: true });
  const plan = await insertSpecialPlan(tx, { ...base, state, ...record });
  await auditSpecial(scope, 'deployed', null, plan, agency, record);
  await recordDeclaration(tx, scope, actor, { kind: 'upper_deployment', subjectType: 'special_plan', subjectId: plan.id, agencyCode: agency.code, districtCode: agency.districtCode, value: { ...record, authorityCode: named?.code ?? null } });
  return plan;
}
