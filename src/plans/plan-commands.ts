import { randomUUID } from 'node:crypto';
import { planMachine, type PlanEvent } from '../../machines/plan.machine.js';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import { transitionOrRefuse } from '../commands/transition.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { findAgency, type Agency } from '../registry/agencies.repository.js';
import { assertActsForAgency } from '../access/index.js';
import {
  findPlan,
  findPlanFor,
  insertPlan,
  planDeadline,
  planItemsOf,
  replacePlanItems,
  updatePlan,
  type Plan,
  type PlanItemInput,
  type PlanState,
} from './plans.repository.js';

/**
 * Annual routine plan commands (Art. 13–14). Each runs inside runCommand's transaction: lock the plan
 * row, check scope and rules, let the machine decide the state, write row + audit entry together.
 */
export interface LockedPlan {
  plan: Plan;
  agency: Agency;
}

export async function lockPlan(tx: Db, id: string): Promise<LockedPlan> {
  const plan = await findPlan(tx, id, 'update');
  if (!plan) throw DomainError.notFound('年度日常检查计划', id);
  const agency = (await findAgency(tx, plan.agencyCode))!;
  return { plan, agency };
}

export const planTransition = (plan: Plan, event: PlanEvent) =>
  transitionOrRefuse(planMachine, '年度日常检查计划', plan.state, {}, event) as PlanState;

/** The audit entry every plan change writes; districtCode lets district supervisors see it. */
export function auditPlan(scope: CommandScope, action: string, before: Plan | null, after: Plan, agency: Agency, payload: unknown = {}) {
  return scope.audit({
    action: `plan.${action}`,
    subjectType: 'plan',
    subjectId: after.id,
    agencyCode: after.agencyCode,
    districtCode: agency.districtCode,
    before: before?.state ?? null,
    after: after.state,
    payload: { year: after.year, revision: after.revision, version: after.version, ...(payload as object) },
  });
}

export async function draftPlan(tx: Db, scope: CommandScope, actor: Principal, input: { agencyCode: string; year: number; items: PlanItemInput[] }) {
  await assertActsForAgency(tx, actor, input.agencyCode);
  const agency = await findAgency(tx, input.agencyCode);
  if (!agency) throw DomainError.field('body.agencyCode', `行政执法主体 ${input.agencyCode} 不存在`, 'REFERENCE_INVALID');
  const existing = await findPlanFor(tx, input.agencyCode, input.year);
  if (existing) {
    throw new DomainError('ALREADY_EXISTS', `${agency.name}${input.year}年度日常检查计划已存在，请修改该计划`, { planId: existing.id });
  }
  const plan = await insertPlan(tx, {
    id: randomUUID(),
    agencyCode: input.agencyCode,
    year: input.year,
    state: 'draft',
    deadline: planDeadline(input.year),
    createdAt: scope.at,
    updatedAt: scope.at,
  });
  const items = await replacePlanItems(tx, plan.id, input.items);
  await auditPlan(scope, 'drafted', null, plan, agency, { items: items.length });
  return { plan, items };
}

/** PATCH: replaces the items of a draft or returned plan; `version` guards against lost updates. */
export async function editPlan(tx: Db, scope: CommandScope, actor: Principal, id: string, input: { version: number; items: PlanItemInput[] }) {
  const { plan, agency } = await lockPlan(tx, id);
  await assertActsForAgency(tx, actor, plan.agencyCode);
  if (plan.version !== input.version) {
    throw new DomainError('VERSION_CONFLICT', `计划已被他人修改（当前版本 ${plan.version}，提交的版本 ${input.version}），请刷新后重试`, {
      currentVersion: plan.version,
    });
  }
  planTransition(plan, { type: 'EDIT' });
  const items = await replacePlanItems(tx, plan.id, input.items);
  const out = await updatePlan(tx, plan, {}, scope.at);
  await auditPlan(scope, 'edited', plan, out, agency, { items: items.length });
  return { plan: out, items };
}

/** Art. 14: 依法向社会公布 — the agency head publishes a filed plan. */
export async function publishPlan(tx: Db, scope: CommandScope, actor: Principal, id: string) {
  const { plan, agency } = await lockPlan(tx, id);
  await assertActsForAgency(tx, actor, plan.agencyCode);
  const state = planTransition(plan, { type: 'PUBLISH' });
  const out = await updatePlan(tx, plan, { state, publishedAt: scope.at }, scope.at);
  await auditPlan(scope, 'published', plan, out, agency);
  return { plan: out, items: await planItemsOf(tx, id) };
}

/**
 * Adjusting a filed or published plan (Art. 14): back to draft as revision n+1, needing filing again;
 * until then it covers no routine inspection (PLAN_AMENDED_NOT_REFILED). The first filing's lateness
 * stays on record; refiling an adjustment later in the year is not late.
 */
export async function amendPlan(tx: Db, scope: CommandScope, actor: Principal, id: string, reason: string) {
  const { plan, agency } = await lockPlan(tx, id);
  await assertActsForAgency(tx, actor, plan.agencyCode);
  const state = planTransition(plan, { type: 'AMEND', reason });
  const out = await updatePlan(tx, plan, { state, revision: plan.revision + 1, needsRefiling: true, amendedAt: scope.at }, scope.at);
  await auditPlan(scope, 'amended', plan, out, agency, { reason, previousRevision: plan.revision });
  return { plan: out, items: await planItemsOf(tx, id) };
}
