import { decide } from '../../machines/kernel.js';
import { PlanFilingDeadline } from '../rules/declarations/plans.js';
import { MatterUnpublished } from '../rules/declarations/authority.js';
import { settingZh } from '../rules/setting-text.js';
import { planMachine, type PlanEvent } from '../../machines/plan.machine.js';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { raiseFlag } from '../flags/raise.js';
import { sameLevelJusticeBureau, type Agency } from '../registry/agencies.repository.js';
import { PLAN_CONTENT } from '../rules/declarations/plans.js';
import type { RuleResult } from '../rules/result.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { hasAnnualDuty, standingAfterSubmit } from './annual-duty.js';
import { isOutsideWuhan } from '../registry/territory.js';
import { assertActsForAgency } from '../access/index.js';
import { auditPlan, lockPlan, planTransition } from './plan-commands.js';
import { unplannableMatters } from './plannable-matters.js';
import { planItemsOf, updatePlan, type Plan, type PlanItem, type PlanState } from './plans.repository.js';

/**
 * The plan machine's SUBMIT: the failed results among the rules a submission must pass (Art. 13 content,
 * Art. 7 published list), computed by their declarations from the plan's own items and the matter list.
 */
export function submitEvent(content: RuleResult, unpublished: RuleResult): Extract<PlanEvent, { type: 'SUBMIT' }> {
  return { type: 'SUBMIT', failed: [content, unpublished].filter((r) => !r.passed) };
}

/**
 * One decision: the machine takes SUBMIT from this state and no rule failed, or the refusal. A state that
 * takes SUBMIT but whose guard refused it is refused by the failed rules (PLAN_CONTENT listing every
 * missing field, MATTER_UNPUBLISHED the matters); a state that does not take SUBMIT, by INVALID_TRANSITION.
 */
export function decideSubmit(plan: Pick<Plan, 'state'>, content: RuleResult, unpublished: RuleResult): PlanState {
  const event = submitEvent(content, unpublished);
  const applied = decide(planMachine, plan.state, {}, event);
  if (applied.ok) return applied.state as PlanState;
  if (event.failed.length && applied.allowed.includes('SUBMIT')) throw DomainError.fromRules([...event.failed]);
  return planTransition(plan as Plan, event);
}

async function unpublishedResult(tx: Db, plan: Plan, agency: Agency, items: readonly PlanItem[], today: string): Promise<RuleResult> {
  const missing = await unplannableMatters(tx, plan.agencyCode, items.map((i) => i.matterCode), plan.year, today);
  if (!missing.length) return MatterUnpublished.pass([], 'published');
  const detail = `以下检查事项未列入${agency.name}已公布的行政检查事项清单（${plan.year}年度内无生效版本），不得列入计划：${missing.join('、')}`;
  return MatterUnpublished.fail(missing, 'published', detail);
}

/**
 * Why the submission is late, in words that keep the Order's date apart from the platform's period: a
 * plan first reported in time, returned, and resubmitted after PLAN_RESUBMIT_DAYS is late because of that
 * setting, and the message says so (issue 22, point 12) instead of charging it to 第十三条 alone.
 */
function lateDetail(agencyName: string, plan: Plan, submittedOn: string, resubmitDays: number | null): string {
  const base = `${agencyName}${plan.year}年度日常检查计划于${submittedOn}报送备案，晚于第十三条规定的3月31日`;
  if (plan.state !== 'returned' || plan.submittedOn === null || plan.submittedLate) return base;
  return `${base}；该计划曾于${plan.submittedOn}报送并被退回，${resubmitDays === null ? '重新报送期限为本平台设置（本办法未规定该期限）' : settingZh('退回后重新报送的期限', resubmitDays, '日')}，至${plan.resubmitBy ?? ''}届满后方重新报送，报送日期按重新报送之日计`;
}

/** The resubmission period the return granted, in days (resubmitBy − returned day), or null when unknown. */
function settingsResubmitDays(plan: Plan): number | null {
  if (!plan.resubmitBy || !plan.returnedAt) return null;
  const returnedOn = shanghaiDate(plan.returnedAt);
  return Math.round((Date.parse(`${plan.resubmitBy}T00:00:00Z`) - Date.parse(`${returnedOn}T00:00:00Z`)) / 86_400_000);
}

/**
 * Submits to the same-level justice bureau and the upper authority (Art. 13). The day of submission is
 * what the 31 March duty is judged by (annual-duty.ts); a late first submission is flagged
 * PLAN_FILING_DEADLINE against the agency, once a year (the sweeper uses the same flag key).
 */
export async function submitPlan(tx: Db, scope: CommandScope, actor: Principal, id: string) {
  const { plan, agency } = await lockPlan(tx, id);
  await assertActsForAgency(tx, actor, plan.agencyCode);
  const items = await planItemsOf(tx, plan.id);
  const today = shanghaiDate(scope.at);
  const content = PLAN_CONTENT({ agencyCode: plan.agencyCode, year: plan.year, items });
  const unpublished = content.passed ? await unpublishedResult(tx, plan, agency, items, today) : MatterUnpublished.pass([], 'published');
  const state = decideSubmit(plan, content, unpublished);
  const bureau = await sameLevelJusticeBureau(tx, agency);
  if (!bureau) throw new DomainError('REFERENCE_INVALID', `未找到${agency.name}的同级司法行政部门，无法报送备案`);
  const standing = standingAfterSubmit(plan, today);
  const out = await updatePlan(
    tx,
    plan,
    { state, submittedAt: scope.at, ...standing, resubmitBy: null, filingBureauCode: bureau.code, upperAuthorityCode: agency.parentCode },
    scope.at,
  );
  await auditPlan(scope, plan.state === 'returned' ? 'resubmitted' : 'submitted', plan, out, agency, {
    filingBureauCode: bureau.code,
    upperAuthorityCode: agency.parentCode,
    items: items.length,
    needsRefiling: plan.needsRefiling,
    submittedOn: standing.submittedOn,
    submittedLate: standing.submittedLate,
  });
  const dutyBearer = hasAnnualDuty({ active: agency.active, createdAt: agency.createdAt, outsideWuhan: await isOutsideWuhan(tx, agency.districtCode) }, plan.year);
  if (standing.submittedLate && !plan.submittedLate && dutyBearer) {
    await raiseFlag(tx, scope.at, { sub: actor.sub, role: actor.role }, {
      rule: PlanFilingDeadline.id,
      subjectType: 'agency',
      subjectId: plan.agencyCode,
      occurrence: String(plan.year),
      agencyCode: plan.agencyCode,
      districtCode: agency.districtCode,
      observed: standing.submittedOn,
      limit: plan.deadline,
      detail: lateDetail(agency.name, plan, standing.submittedOn!, settingsResubmitDays(plan)),
      evidence: { planId: plan.id, submittedAt: scope.at.toISOString(), returnedAt: plan.returnedAt?.toISOString() ?? null },
    });
  }
  return { plan: out, items };
}
