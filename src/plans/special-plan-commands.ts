import { specialPlanMachine, type SpecialPlanEvent } from '../../machines/special-plan.machine.js';
import { MatterUnpublished } from '../rules/declarations/authority.js';
import { SpecialApproverNotCompetent } from '../rules/declarations/plans.js';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import { transitionOrRefuse } from '../commands/transition.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { findAgency, sameLevelJusticeBureau, type Agency } from '../registry/agencies.repository.js';
import { publishedMatterOn } from '../registry/matters.repository.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { assertActsForAgency } from '../access/index.js';
import type { SpecialPlanSettings } from './special-plan-settings.js';
import { markVersionPublished } from './special-plan-versions.repository.js';
import { findSpecialPlan, updateSpecialPlan, type SpecialPlan, type SpecialPlanState } from './special-plans.repository.js';
import { upperAuthorityCodeOf } from './upper-authority.js';

/**
 * Special plan commands of the agency (Art. 13–15): edit, approve (the agency head records the same-level
 * government's or the vertical upper authority's approval and reports the plan for filing), publish,
 * amend. The bureau's filing and return are in special-plan-filing.ts; creation, including the deployed
 * paths, in special-plan-create.ts.
 */
export interface SpecialPlanFields {
  title: string;
  focus: string;
  matterCodes: string[];
  startDate: string;
  endDate: string;
}

export interface Approval {
  approverKind: 'same_level_government' | 'upper_authority';
  approverName: string;
  approvalDocNo: string;
}

export async function lockSpecialPlan(tx: Db, id: string): Promise<{ plan: SpecialPlan; agency: Agency }> {
  const plan = await findSpecialPlan(tx, id, 'update');
  if (!plan) throw DomainError.notFound('专项检查计划', id);
  return { plan, agency: (await findAgency(tx, plan.agencyCode))! };
}

export const specialTransition = (plan: Pick<SpecialPlan, 'state'>, event: SpecialPlanEvent) =>
  transitionOrRefuse(specialPlanMachine, '专项检查计划', plan.state, {}, event) as SpecialPlanState;

export function auditSpecial(scope: CommandScope, action: string, before: SpecialPlan | null, after: SpecialPlan, agency: Agency, payload: object = {}) {
  return scope.audit({
    action: `special_plan.${action}`,
    subjectType: 'special_plan',
    subjectId: after.id,
    agencyCode: after.agencyCode,
    districtCode: agency.districtCode,
    before: before?.state ?? null,
    after: after.state,
    payload: { title: after.title, version: after.version, ...payload },
  });
}

export function assertWindow(f: Pick<SpecialPlanFields, 'startDate' | 'endDate'>): void {
  if (f.endDate < f.startDate) throw DomainError.field('body.endDate', `结束日期 ${f.endDate} 早于开始日期 ${f.startDate}`);
}

/** Art. 7 applies to special plans too: every matter on the agency's published list today. */
export async function unpublishedMatters(tx: Db, agencyCode: string, matterCodes: readonly string[], day: string): Promise<string[]> {
  const out: string[] = [];
  for (const code of new Set(matterCodes)) if (!(await publishedMatterOn(tx, agencyCode, code, day))) out.push(code);
  return out;
}

export async function editSpecialPlan(tx: Db, scope: CommandScope, actor: Principal, id: string, input: SpecialPlanFields & { version: number }) {
  const { plan, agency } = await lockSpecialPlan(tx, id);
  await assertActsForAgency(tx, actor, plan.agencyCode);
  if (plan.version !== input.version) {
    throw new DomainError('VERSION_CONFLICT', `专项检查计划已被他人修改（当前版本 ${plan.version}），请刷新后重试`, { currentVersion: plan.version });
  }
  specialTransition(plan, { type: 'EDIT' });
  assertWindow(input);
  const { version: _v, ...fields } = input;
  const out = await updateSpecialPlan(tx, plan, fields, scope.at);
  await auditSpecial(scope, 'edited', plan, out, agency);
  return out;
}

/**
 * Art. 13 ¶2: 经同级人民政府或者实行垂直管理的上级主管部门批准. The approver the agency records must be the one
 * the article names for it: the same-level government for an agency under the local government, the upper
 * authority for a vertically managed one (and, where SPECIAL_PLAN_VERTICAL_GOVERNMENT_APPROVAL is set, the
 * same-level government for it too). Null when the approval may stand.
 */
export function approverProblem(agency: Agency, kind: Approval['approverKind'], _settings?: SpecialPlanSettings): string | null {
  if (kind === 'upper_authority' && !agency.verticallyManaged) {
    return `${agency.name}不实行垂直管理，其专项检查计划应当经同级人民政府批准，上级主管部门的批准不能代替`;
  }
  // 经同级人民政府或者实行垂直管理的上级主管部门批准: 或者 — the same-level government's approval is accepted for every
  // agency, a vertically managed one included (issue 22, point 7); SPECIAL_PLAN_VERTICAL_GOVERNMENT_APPROVAL no longer narrows it.
  return null;
}

/**
 * The head records the approval and thereby reports the plan for filing (报同级司法行政部门和上级主管部门备案):
 * the same-level bureau that will file or return it and the upper authority it is reported to are fixed
 * here, on the row and in the audit entry. From `returned` this is the resubmission of the adjusted plan,
 * with the approval that covers it (the same document if the approving authority's approval still covers
 * the adjustment).
 */
export async function approveSpecialPlan(
  tx: Db,
  scope: CommandScope,
  actor: Principal,
  id: string,
  approval: Approval,
  settings: SpecialPlanSettings,
) {
  const { plan, agency } = await lockSpecialPlan(tx, id);
  await assertActsForAgency(tx, actor, plan.agencyCode);
  if (plan.state === 'draft' || plan.state === 'returned') {
    const today = shanghaiDate(scope.at);
    const missing = await unpublishedMatters(tx, plan.agencyCode, plan.matterCodes, today);
    if (missing.length) {
      const detail = `以下检查事项未列入${agency.name}已公布的行政检查事项清单（${today}）：${missing.join('、')}`;
      throw DomainError.fromRules([MatterUnpublished.fail(missing, 'published', detail)]);
    }
    const problem = approverProblem(agency, approval.approverKind, settings);
    if (problem) {
      const observed = { approverKind: approval.approverKind, verticallyManaged: agency.verticallyManaged };
      const limit = agency.verticallyManaged ? 'upper_authority' : 'same_level_government';
      throw DomainError.fromRules([SpecialApproverNotCompetent.fail(observed, limit, `${problem}（第十三条第二款）`)]);
    }
  }
  // The published-matter check above is the rule MATTER_UNPUBLISHED (Art. 7) with the matters it names; the
  // machine judges what the event carries: who approved and by which document.
  const state = specialTransition(plan, { type: 'APPROVE', ...approval });
  const bureau = await sameLevelJusticeBureau(tx, agency);
  if (!bureau) throw new DomainError('REFERENCE_INVALID', `未找到${agency.name}的同级司法行政部门，无法报送备案`);
  const upperAuthorityCode = await upperAuthorityCodeOf(tx, agency);
  const out = await updateSpecialPlan(tx, plan, { state, ...approval, approvedAt: scope.at, filingBureauCode: bureau.code, upperAuthorityCode }, scope.at);
  await auditSpecial(scope, plan.state === 'returned' ? 'resubmitted' : 'approved', plan, out, agency, {
    ...approval,
    filingBureauCode: bureau.code,
    upperAuthorityCode,
    revision: plan.revision,
  });
  return out;
}

export async function publishSpecialPlan(tx: Db, scope: CommandScope, actor: Principal, id: string) {
  const { plan, agency } = await lockSpecialPlan(tx, id);
  await assertActsForAgency(tx, actor, plan.agencyCode);
  const state = specialTransition(plan, { type: 'PUBLISH' });
  const out = await updateSpecialPlan(tx, plan, { state, publishedAt: scope.at }, scope.at);
  await markVersionPublished(tx, plan.id, plan.revision, scope.at);
  await auditSpecial(scope, 'published', plan, out, agency, { revision: plan.revision });
  return out;
}

/**
 * Adjusting a filed or published special plan (Art. 14 ¶2: 调整后报送备案): back to draft as revision n+1,
 * approved and filed again. Until the adjustment is filed and published, the last published version covers
 * only what the adjustment left in place (usable-special-plan.ts).
 */
export async function amendSpecialPlan(tx: Db, scope: CommandScope, actor: Principal, id: string, reason: string) {
  const { plan, agency } = await lockSpecialPlan(tx, id);
  await assertActsForAgency(tx, actor, plan.agencyCode);
  if (reason.trim().length === 0) throw DomainError.field('body.reason', '调整须说明理由');
  const state = specialTransition(plan, { type: 'AMEND', reason });
  const out = await updateSpecialPlan(tx, plan, { state, revision: plan.revision + 1, amendmentReason: reason, amendedAt: scope.at }, scope.at);
  await auditSpecial(scope, 'amended', plan, out, agency, { reason, previousRevision: plan.revision, revision: out.revision });
  return out;
}
