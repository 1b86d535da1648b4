import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { raiseFlag } from '../flags/raise.js';
import { findAgency, sameLevelJusticeBureau } from '../registry/agencies.repository.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { assertFilingBureau } from './plan-access.js';
import { auditPlan, lockPlan, planTransition } from './plan-commands.js';
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
 * Files the plan. The 31 March deadline (Art. 13) is a Shanghai calendar date: any time on 31 March is on
 * time, 1 April is late. A late first filing is recorded (`filed_late`) and flagged PLAN_FILING_DEADLINE;
 * refiling an adjusted plan later in the year is a different duty (Art. 14) and is never late.
 */
export async function filePlan(tx: Db, scope: CommandScope, actor: Principal, id: string) {
  const { plan, agency } = await lockForBureau(tx, actor, id);
  const state = planTransition(plan, { type: 'FILE' });
  const today = shanghaiDate(scope.at);
  const firstFiling = !plan.needsRefiling;
  const late = firstFiling && today > plan.deadline;
  const out = await updatePlan(
    tx,
    plan,
    { state, filedAt: scope.at, filedBy: actor.sub, filedLate: firstFiling ? late : plan.filedLate, needsRefiling: false },
    scope.at,
  );
  await auditPlan(scope, plan.needsRefiling ? 'refiled' : 'filed', plan, out, agency, { late, deadline: plan.deadline, filedOn: today });
  if (late) {
    await raiseFlag(
      tx,
      scope.at,
      { sub: actor.sub, role: actor.role },
      {
        rule: 'PLAN_FILING_DEADLINE',
        subjectType: 'plan',
        subjectId: plan.id,
        occurrence: 'filed_late',
        agencyCode: plan.agencyCode,
        districtCode: agency.districtCode,
        observed: today,
        limit: plan.deadline,
        detail: `${agency.name}${plan.year}年度日常检查计划于${today}备案，晚于第十三条规定的${plan.deadline}`,
        evidence: { planId: plan.id, submittedAt: plan.submittedAt?.toISOString() ?? null },
      },
    );
  }
  return { plan: out, items: await planItemsOf(tx, id) };
}

/** Art. 14: a plan that does not meet the conditions goes back to the agency with what to adjust. */
export async function returnPlan(tx: Db, scope: CommandScope, actor: Principal, id: string, reason: string) {
  const { plan, agency } = await lockForBureau(tx, actor, id);
  if (reason.trim().length === 0) throw DomainError.field('body.reason', '退回须说明理由');
  const state = planTransition(plan, { type: 'RETURN', reason });
  const out = await updatePlan(tx, plan, { state, returnedReason: reason }, scope.at);
  await auditPlan(scope, 'returned', plan, out, agency, { reason });
  return { plan: out, items: await planItemsOf(tx, id) };
}
