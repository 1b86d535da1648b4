import { specialPlanMachine, type SpecialPlanEvent } from '../../machines/special-plan.machine.js';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import { transitionOrRefuse } from '../commands/transition.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { findAgency, sameLevelJusticeBureau, type Agency } from '../registry/agencies.repository.js';
import { publishedMatterOn } from '../registry/matters.repository.js';
import { ruleResult } from '../rules/result.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { assertActsForAgency, assertFilingBureau } from './plan-access.js';
import { findSpecialPlan, updateSpecialPlan, type SpecialPlan, type SpecialPlanState } from './special-plans.repository.js';

/**
 * Special plan commands (Art. 13–15): approve (the agency head records the same-level government's or the
 * vertical upper authority's approval), file (same-level justice bureau), publish. Creation, including
 * the deployed path, is in special-plan-create.ts.
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

export async function approveSpecialPlan(tx: Db, scope: CommandScope, actor: Principal, id: string, approval: Approval) {
  const { plan, agency } = await lockSpecialPlan(tx, id);
  await assertActsForAgency(tx, actor, plan.agencyCode);
  if (plan.state === 'draft') {
    const today = shanghaiDate(scope.at);
    const missing = await unpublishedMatters(tx, plan.agencyCode, plan.matterCodes, today);
    if (missing.length) {
      const detail = `以下检查事项未列入${agency.name}已公布的行政检查事项清单（${today}）：${missing.join('、')}`;
      throw DomainError.fromRules([ruleResult('MATTER_UNPUBLISHED', false, missing, 'published', detail)]);
    }
  }
  const state = specialTransition(plan, { type: 'APPROVE', ...approval, unpublishedMatters: 0 });
  const bureau = await sameLevelJusticeBureau(tx, agency);
  if (!bureau) throw new DomainError('REFERENCE_INVALID', `未找到${agency.name}的同级司法行政部门，无法报送备案`);
  const out = await updateSpecialPlan(tx, plan, { state, ...approval, approvedAt: scope.at, filingBureauCode: bureau.code }, scope.at);
  await auditSpecial(scope, 'approved', plan, out, agency, { ...approval, filingBureauCode: bureau.code });
  return out;
}

export async function fileSpecialPlan(tx: Db, scope: CommandScope, actor: Principal, id: string) {
  const { plan, agency } = await lockSpecialPlan(tx, id);
  const bureau = plan.filingBureauCode ? await findAgency(tx, plan.filingBureauCode) : await sameLevelJusticeBureau(tx, agency);
  assertFilingBureau(actor, agency, bureau);
  const state = specialTransition(plan, { type: 'FILE' });
  const out = await updateSpecialPlan(tx, plan, { state, filedAt: scope.at }, scope.at);
  await auditSpecial(scope, 'filed', plan, out, agency, { filingBureauCode: bureau!.code });
  return out;
}

export async function publishSpecialPlan(tx: Db, scope: CommandScope, actor: Principal, id: string) {
  const { plan, agency } = await lockSpecialPlan(tx, id);
  await assertActsForAgency(tx, actor, plan.agencyCode);
  const state = specialTransition(plan, { type: 'PUBLISH' });
  const out = await updateSpecialPlan(tx, plan, { state, publishedAt: scope.at }, scope.at);
  await auditSpecial(scope, 'published', plan, out, agency);
  return out;
}
