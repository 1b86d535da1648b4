import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { ruleArticle } from '../rules/catalog.js';
import { findAgency, sameLevelJusticeBureau } from '../registry/agencies.repository.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { assertFilingBureau } from '../access/index.js';
import { auditPlan, lockPlan, planTransition } from './plan-commands.js';
import { resubmitDeadline } from './annual-duty.js';
import type { PlanSettings } from './plan-settings.js';
import { insertPlanVersion } from './plan-versions.repository.js';
import { planItemsOf, updatePlan } from './plans.repository.js';

/**
 * The justice bureau's side of Art. 13–14: file (备案) a plan that meets the conditions, or return it with
 * reasons. Only the same-level bureau recorded at submission may do either. The plan row is locked, so
 * two supervisors filing the same plan at once file it once; the second is told it is already filed.
 */
async function lockForBureau(tx: Db, actor: Principal, id: string) {
  const locked = await lockPlan(tx, id);
  // Fixed at submission; before that (a draft), the bureau it would go to, so it hears "not submitted yet".
  const bureau = locked.plan.filingBureauCode
    ? await findAgency(tx, locked.plan.filingBureauCode)
    : await sameLevelJusticeBureau(tx, locked.agency);
  // Scope before state: a supervisor of another bureau learns nothing about the plan's progress.
  assertFilingBureau(actor, locked.agency, bureau);
  return locked;
}

/**
 * Files the plan and keeps the filed version (Art. 14 ¶2: every filed version stays comparable). The 31
 * March duty was the agency's and was judged when it submitted (plan-submit.ts); filing after 31 March is
 * the bureau's pace, recorded as `filedLate` on a first filing for the supervisors, never flagged against
 * the agency.
 */
export async function filePlan(tx: Db, scope: CommandScope, actor: Principal, id: string) {
  const { plan, agency } = await lockForBureau(tx, actor, id);
  const state = planTransition(plan, { type: 'FILE' });
  const today = shanghaiDate(scope.at);
  const firstFiling = plan.filedAt === null;
  const bureauAfterDeadline = firstFiling ? today > plan.deadline : plan.filedLate;
  const items = await planItemsOf(tx, id);
  const out = await updatePlan(tx, plan, { state, filedAt: scope.at, filedBy: actor.sub, filedLate: bureauAfterDeadline, needsRefiling: false }, scope.at);
  await insertPlanVersion(tx, { planId: plan.id, revision: plan.revision, filedAt: scope.at, filedBy: actor.sub, items });
  await auditPlan(scope, plan.needsRefiling ? 'refiled' : 'filed', plan, out, agency, {
    deadline: plan.deadline,
    filedOn: today,
    submittedOn: plan.submittedOn,
    submittedLate: plan.submittedLate,
    filedAfterDeadline: firstFiling && bureauAfterDeadline,
  });
  return { plan: out, items };
}

/**
 * Art. 14: a plan that does not meet the conditions goes back to the agency with what to adjust. The
 * agency keeps its submission's standing if it resubmits within `resubmitDays` (PLAN_RESUBMIT_DAYS).
 */
export async function returnPlan(tx: Db, scope: CommandScope, actor: Principal, id: string, reason: string, settings: PlanSettings) {
  const { plan, agency } = await lockForBureau(tx, actor, id);
  if (reason.trim().length === 0) throw DomainError.field('body.reason', '退回须说明理由');
  const state = planTransition(plan, { type: 'RETURN', reason });
  const resubmitBy = resubmitDeadline(shanghaiDate(scope.at), settings.resubmitDays);
  const out = await updatePlan(tx, plan, { state, returnedReason: reason, returnedAt: scope.at, resubmitBy }, scope.at);
  // The return is what Art. 14 asks the bureau to record (PLAN_RETURNED): it carries the rule on the audit chain.
  await auditPlan(scope, 'returned', plan, out, agency, { rule: 'PLAN_RETURNED', article: ruleArticle('PLAN_RETURNED'), reason, resubmitBy });
  return { plan: out, items: await planItemsOf(tx, id) };
}
