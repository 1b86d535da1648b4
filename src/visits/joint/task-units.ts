import { initialState } from '../../../machines/kernel.js';
import { inspectionMachine } from '../../../machines/inspection.machine.js';
import type { Principal } from '../../auth/principal.js';
import type { CommandScope } from '../../commands/command.js';
import type { Db } from '../../db/client.js';
import { jointTaskParts, type Inspector } from '../../db/schema/index.js';
import { DomainError } from '../../errors/domain-error.js';
import { insertInspection } from '../repository.js';
import { nextState } from '../transition.js';
import { agencyNameOf, findAgency } from '../../registry/agencies.repository.js';
import { findEnterprise } from '../../registry/enterprises.repository.js';
import { mergeChecklist } from './checklist.js';
import { unitOf } from './list-entry.js';
import type { JointSettings } from '../../config/joint-settings.js';
import { assertLead, unitOfActor } from '../../access/visits.js';
import { auditTask, lockTask, taskTransition, unitTransition } from './task-audit.js';
import { planGuards, JOINT_TEAM_TOO_LARGE, teamOf } from './task-guards.js';
import { unitsOf, updateJointTask, updateUnit, type JointTask, type JointTaskUnit } from './tasks.repository.js';
import { newRowId } from '../../db/ids.js';

/**
 * The units' side of a joint task (Art. 28–29): the lead assigns each cooperating unit its part on the
 * platform (线上分配); the unit accepts with its officers or declines with a legal reason; each unit's
 * head approves its part. Every step re-evaluates whether the task is ready for its code.
 */
export interface UnitStepResult {
  task: JointTask;
  units: JointTaskUnit[];
}

async function begin(tx: Db, taskId: string) {
  const task = await lockTask(tx, taskId);
  taskTransition(task, { type: 'UNIT_STEP' });
  return { task, units: await unitsOf(tx, taskId, 'update') };
}

/** UNIT_SETTLED: ready for the code once no unit is outstanding and at least two take part (Art. 26). */
async function settle(tx: Db, scope: CommandScope, task: JointTask): Promise<UnitStepResult> {
  const units = await unitsOf(tx, task.id);
  const outstanding = units.filter((u) => u.state !== 'approved' && u.state !== 'declined').length;
  const approvedUnits = units.filter((u) => u.state === 'approved').length;
  const state = taskTransition(task, { type: 'UNIT_SETTLED', outstanding, approvedUnits });
  if (state === task.state) return { task, units };
  const out = await updateJointTask(tx, task, { state, approvedAt: scope.at }, scope.at);
  await auditTask(tx, scope, 'approved', out, task.state, { units: units.map((u) => ({ agencyCode: u.agencyCode, state: u.state })) });
  return { task: out, units };
}

async function findUnit(tx: Db, units: readonly JointTaskUnit[], agencyCode: string): Promise<JointTaskUnit> {
  const unit = units.find((u) => u.agencyCode === agencyCode);
  if (!unit) throw DomainError.field('body.agencyCode', `${await agencyNameOf(tx, agencyCode)}不是该事项的协同单位`, 'REFERENCE_INVALID');
  return unit;
}

export async function assignUnit(tx: Db, scope: CommandScope, actor: Principal, taskId: string, input: { agencyCode: string; matterCodes?: string[]; note?: string }) {
  const { task, units } = await begin(tx, taskId);
  assertLead(actor, task);
  const unit = await findUnit(tx, units, input.agencyCode);
  if (unit.role === 'lead') throw DomainError.field('body.agencyCode', '发起单位无需分配');
  const listed = unitOf(task.entry, unit.agencyCode)!.matterCodes;
  const matterCodes = input.matterCodes ? [...new Set(input.matterCodes)] : listed;
  const outside = matterCodes.filter((m) => !listed.includes(m));
  if (outside.length) throw DomainError.field('body.matterCodes', `事项 ${outside.join('、')} 不在清单为该单位列明的事项中`);
  const state = await unitTransition(tx, unit, { type: 'ASSIGN', matterCount: matterCodes.length });
  await updateUnit(tx, unit, { state, matterCodes, assignedBy: actor.sub, assignedAt: scope.at, assignNote: input.note ?? null });
  await auditTask(tx, scope, 'unit_assigned', task, task.state, { agencyCode: unit.agencyCode, matterCodes, note: input.note ?? null });
  return settle(tx, scope, task);
}

export interface AcceptInput {
  inspectors: Inspector[];
  escalationGround?: string;
  assistanceRef?: string;
  onsiteReason?: string;
}

/** The unit takes part: its matters must be in its filed plan (Art. 28) and the team within the cap (Art. 31). */
export async function acceptUnit(tx: Db, scope: CommandScope, actor: Principal, settings: JointSettings, taskId: string, input: AcceptInput) {
  const { task, units } = await begin(tx, taskId);
  const unit = unitOfActor(actor, units);
  const state = await unitTransition(tx, unit, { type: 'ACCEPT' });
  const failedPlan = (await planGuards(tx, task, [unit])).filter((r) => !r.passed);
  if (failedPlan.length) throw DomainError.fromRules(failedPlan);
  const cap = JOINT_TEAM_TOO_LARGE([...teamOf(units.filter((u) => u.agencyCode !== unit.agencyCode)), ...input.inspectors], settings.teamMax);
  if (!cap.passed) throw DomainError.fromRules([cap]);
  await updateUnit(tx, unit, {
    state,
    inspectors: input.inspectors,
    escalationGround: input.escalationGround ?? null,
    assistanceRef: input.assistanceRef ?? null,
    onsiteReason: input.onsiteReason ?? null,
    respondedBy: actor.sub,
    respondedAt: scope.at,
  });
  await auditTask(tx, scope, 'unit_accepted', task, task.state, { agencyCode: unit.agencyCode, inspectors: input.inspectors.length });
  return settle(tx, scope, task);
}

/** 协同单位应当在监管职责范围内参与 (Art. 28): declining states the legal reason, seen by the lead and supervisors. */
export async function declineUnit(tx: Db, scope: CommandScope, actor: Principal, taskId: string, input: { reason: string; legalBasis: string }) {
  const { task, units } = await begin(tx, taskId);
  const unit = unitOfActor(actor, units);
  if (unit.role === 'lead') throw new DomainError('INVALID_TRANSITION', '发起单位不能拒绝自己发起的任务；如需取消，请通过取消任务操作办理', { currentState: unit.state, allowedEvents: [] });
  const state = await unitTransition(tx, unit, { type: 'DECLINE', ...input });
  await updateUnit(tx, unit, { state, declineReason: input.reason, declineLegalBasis: input.legalBasis, respondedBy: actor.sub, respondedAt: scope.at });
  await auditTask(tx, scope, 'unit_declined', task, task.state, { agencyCode: unit.agencyCode, ...input });
  return settle(tx, scope, task);
}

/**
 * The unit's head approves its part of the scheme (Art. 17(1)). Its inspection rows — one per enterprise,
 * kind routine, linked to the task — are written now, approved, so the frequency caps will count the visit
 * once for this agency when the code is issued.
 */
export async function approveUnit(tx: Db, scope: CommandScope, actor: Principal, taskId: string, note?: string) {
  const { task, units } = await begin(tx, taskId);
  const unit = unitOfActor(actor, units);
  if (actor.role !== 'agency_head') throw new DomainError('FORBIDDEN_ROLE', '本单位的检查方案须由本单位负责人批准（第十七条第（一）项）');
  const state = await unitTransition(tx, unit, { type: 'APPROVE' });
  // Each part row starts where every inspection starts (the machine's initial state) with its own kind and
  // mode, and the machine approves it from there; no state is picked by hand.
  const part = { state: initialState(inspectionMachine), kind: 'routine', mode: 'onsite', excludedRelation: null, entityScope: 'in_scope' } as const;
  const approved = nextState(part, { type: 'APPROVE' });
  const items = mergeChecklist(task.entry.items, [unit]).map((l) => l.text);
  const agency = await findAgency(tx, unit.agencyCode);
  for (const enterpriseCode of task.enterpriseCodes) {
    const enterprise = (await findEnterprise(tx, enterpriseCode))!;
    const inspection = await insertInspection(tx, {
      id: newRowId(),
      agencyCode: unit.agencyCode,
      enterpriseCode,
      kind: part.kind,
      mode: part.mode,
      state: approved,
      matterCodes: unit.matterCodes,
      windowStart: task.windowStart,
      windowEnd: task.windowEnd,
      countedDate: task.countedDate,
      countsTowardCap: true,
      inspectors: unit.inspectors,
      checklist: items,
      escalationGround: unit.escalationGround,
      assistanceRef: unit.assistanceRef,
      onsiteReason: unit.onsiteReason,
      entityScope: enterprise.scope,
      approvedBy: actor.sub,
      approvedAt: scope.at,
      createdBy: actor.sub,
      createdAt: scope.at,
      updatedAt: scope.at,
    });
    await tx.insert(jointTaskParts).values({ inspectionId: inspection.id, taskId: task.id, agencyCode: unit.agencyCode, enterpriseCode, role: unit.role });
    await scope.audit({
      action: 'inspection.approved',
      subjectType: 'inspection',
      subjectId: inspection.id,
      agencyCode: unit.agencyCode,
      enterpriseCode,
      districtCode: agency?.districtCode ?? null,
      before: null,
      after: inspection.state,
      payload: { jointTaskId: task.id, role: unit.role, note: note ?? null },
    });
  }
  await updateUnit(tx, unit, { state, approvedBy: actor.sub, approvedAt: scope.at });
  await auditTask(tx, scope, 'unit_approved', task, task.state, { agencyCode: unit.agencyCode, note: note ?? null });
  return settle(tx, scope, task);
}
