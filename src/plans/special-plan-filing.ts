import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { findAgency, sameLevelJusticeBureau } from '../registry/agencies.repository.js';
import { assertFilingBureau } from '../access/index.js';
import { auditSpecial, lockSpecialPlan, specialTransition } from './special-plan-commands.js';
import { insertSpecialPlanVersion } from './special-plan-versions.repository.js';
import { updateSpecialPlan } from './special-plans.repository.js';

/**
 * The justice bureau's side of Art. 13 ¶2 and Art. 14 for special plans: file (备案) a plan that meets the
 * conditions, or return it with reasons. Only the same-level bureau fixed when the plan was reported may
 * do either; the row lock makes two supervisors filing at once file it once.
 */
async function lockForBureau(tx: Db, actor: Principal, id: string) {
  const locked = await lockSpecialPlan(tx, id);
  const bureau = locked.plan.filingBureauCode ? await findAgency(tx, locked.plan.filingBureauCode) : await sameLevelJusticeBureau(tx, locked.agency);
  // Scope before state: a supervisor of another bureau learns nothing about the plan's progress.
  assertFilingBureau(actor, locked.agency, bureau);
  return { ...locked, bureau: bureau! };
}

/**
 * Files the plan and keeps the filed version (special_plan_versions). The audit entry names both bodies it
 * was reported to (报同级司法行政部门和上级主管部门备案): the bureau filing it and the upper authority.
 */
export async function fileSpecialPlan(tx: Db, scope: CommandScope, actor: Principal, id: string) {
  const { plan, agency, bureau } = await lockForBureau(tx, actor, id);
  const state = specialTransition(plan, { type: 'FILE' });
  const out = await updateSpecialPlan(tx, plan, { state, filedAt: scope.at, amendmentReason: null }, scope.at);
  await insertSpecialPlanVersion(tx, out, scope.at, actor.sub);
  await auditSpecial(scope, plan.revision > 1 ? 'refiled' : 'filed', plan, out, agency, {
    filingBureauCode: bureau.code,
    upperAuthorityCode: plan.upperAuthorityCode,
    revision: plan.revision,
  });
  return out;
}

/** Art. 14 ¶1: a plan that does not meet the conditions goes back to the agency with what to adjust. */
export async function returnSpecialPlan(tx: Db, scope: CommandScope, actor: Principal, id: string, reason: string) {
  const { plan, agency } = await lockForBureau(tx, actor, id);
  if (reason.trim().length === 0) throw DomainError.field('body.reason', '退回须说明理由');
  const state = specialTransition(plan, { type: 'RETURN', reason });
  const out = await updateSpecialPlan(tx, plan, { state, returnedReason: reason, returnedAt: scope.at }, scope.at);
  await auditSpecial(scope, 'returned', plan, out, agency, { reason, revision: plan.revision });
  return out;
}
