import { outcomeSummaryZh, type Outcome as StoredOutcome } from '../outcome.js';
import { afterFindings, findingsPatch, wasScanned } from '../commands/findings.js';
import { closeVisitCode, revokeVisitCode, writePart } from '../commands/lifecycle.js';
import type { Principal } from '../../auth/principal.js';
import type { CommandScope } from '../../commands/command.js';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../errors/domain-error.js';
import { ruleArticle } from '../../rules/catalog.js';
import { raiseFlag } from '../../flags/raise.js';
import type { Inspection } from '../repository.js';
import { nextState } from '../transition.js';
import { agencyNamesOf, findAgency } from '../../registry/agencies.repository.js';
import { mergeChecklist, type ChecklistLine } from './checklist.js';
import { splitFindings, type JointFindingsInput } from './findings-split.js';
import { assertLead } from '../../access/visits.js';
import { auditTask, lockTask, taskTransition } from './task-audit.js';
import { partsOf, unitsOf, updateJointTask, updateVisit, visitsOf, type JointTask, type JointTaskUnit, type JointVisit } from './tasks.repository.js';
import type { RevocationCategory } from '../../codes/revocation.js';

/**
 * A joint visit after its code (Art. 18–20, 30): one combined form with per-item results, each unit's
 * outcome from its own items, the result notified once to the enterprise listing every unit's result, and
 * the visit closed. Every step moves all the visit's part rows through the inspection machine together.
 */

/** The combined checklist of the units taking part (declined units have no lines). */
export function taskChecklist(task: JointTask, units: readonly JointTaskUnit[]): ChecklistLine[] {
  return mergeChecklist(task.entry.items, units.filter((u) => u.state !== 'declined'));
}

export function resolveEnterprise(task: JointTask, enterpriseCode: string | undefined): string {
  if (enterpriseCode) {
    if (!task.enterpriseCodes.includes(enterpriseCode)) throw DomainError.field('body.enterpriseCode', `企业 ${enterpriseCode} 不在本任务的检查对象中`);
    return enterpriseCode;
  }
  if (task.enterpriseCodes.length > 1) throw DomainError.field('body.enterpriseCode', '本任务检查多家企业，须指明本次记录的企业');
  return task.enterpriseCodes[0]!;
}

interface VisitContext {
  task: JointTask;
  units: JointTaskUnit[];
  visit: JointVisit;
  parts: Inspection[];
}

async function openVisit(tx: Db, actor: Principal, taskId: string, enterpriseCode: string | undefined): Promise<VisitContext> {
  const task = await lockTask(tx, taskId);
  assertLead(actor, task);
  taskTransition(task, { type: 'VISIT_STEP' });
  const enterprise = resolveEnterprise(task, enterpriseCode);
  const visit = (await visitsOf(tx, task.id, 'update')).find((v) => v.enterpriseCode === enterprise)!;
  const parts = (await partsOf(tx, task.id, { enterpriseCode: enterprise, lock: true })).map((p) => p.inspection);
  return { task, units: (await unitsOf(tx, task.id)).filter((u) => u.state === 'approved'), visit, parts };
}

export async function recordJointFindings(tx: Db, scope: CommandScope, actor: Principal, taskId: string, input: JointFindingsInput) {
  const { task, units, visit, parts } = await openVisit(tx, actor, taskId, input.enterpriseCode);
  const lines = taskChecklist(task, units);
  const codes = units.map((u) => u.agencyCode);
  const nameOf = await agencyNamesOf(tx, [...codes, ...input.outcomes.map((o) => o.agencyCode), ...(input.outOfJurisdiction ?? []).flatMap((x) => [x.agencyCode, x.competentAgencyCode])]);
  const split = splitFindings(lines, codes, input, nameOf);
  // Checked here with the index the caller sent; each unit's referrals are then opened from its own list.
  for (const [k, x] of (input.outOfJurisdiction ?? []).entries()) {
    if (!(await findAgency(tx, x.competentAgencyCode))) throw DomainError.field(`body.outOfJurisdiction[${k}].competentAgencyCode`, `行政执法主体 ${x.competentAgencyCode} 不存在`, 'REFERENCE_INVALID');
  }
  const scanned = await wasScanned(tx, { code: visit.code });
  const flags: string[] = [];
  for (const p of parts) {
    const f = split.get(p.agencyCode)!;
    const state = nextState(p, { type: 'RECORD_FINDINGS' });
    await writePart(tx, scope, p, state, 'inspection.findings_recorded', { patch: findingsPatch(f, scope.at), payload: { jointTaskId: task.id, ...f } });
    // Art. 23 holds for a joint visit as for a single one: each unit refers what it found outside its
    // jurisdiction, in this transaction (the visit's date is the finding date; 期限待定 when next year is missing).
    await afterFindings(tx, scope, actor, p, f);
    if (!scanned) {
      const id = await raiseFlag(tx, scope.at, { sub: actor.sub, role: actor.role }, {
        rule: 'CODE_NOT_SCANNED',
        subjectType: 'inspection',
        subjectId: p.id,
        agencyCode: p.agencyCode,
        enterpriseCode: p.enterpriseCode,
        districtCode: (await findAgency(tx, p.agencyCode))?.districtCode ?? null,
        observed: 'no accepted scan',
        limit: 'scan on entry',
        detail: '“综合查一次”检查记录检查情况前未出示检查码并扫码',
        evidence: { jointTaskId: task.id, code: visit.code },
      });
      if (id) flags.push('CODE_NOT_SCANNED');
    }
  }
  const results = lines.map((l) => ({ ...l, ...input.items.find((i) => i.line === l.line)! }));
  const outcomes = units.map((u) => ({ agencyCode: u.agencyCode, outcome: split.get(u.agencyCode)!.outcome, violations: split.get(u.agencyCode)!.items.filter((i) => i.result === 'violation').length }));
  await updateVisit(tx, visit, { results: { methods: input.methods, lines: results, outcomes }, findingsAt: scope.at });
  // Art. 30: the findings are recorded on the one combined form (JOINT_ONE_FORM), line by line.
  await auditTask(tx, scope, 'findings_recorded', task, task.state, { rule: 'JOINT_ONE_FORM', article: ruleArticle('JOINT_ONE_FORM'), lines: results.length, outcomes }, visit.enterpriseCode);
  return { enterpriseCode: visit.enterpriseCode, lines: results, outcomes, flags: [...new Set(flags)] };
}

/** Art. 18(5): the enterprise is told the result once, listing every unit's result. */
export async function notifyJointResult(tx: Db, scope: CommandScope, actor: Principal, taskId: string, input: { enterpriseCode?: string; method: string; note?: string }) {
  const { task, visit, parts } = await openVisit(tx, actor, taskId, input.enterpriseCode);
  const results = [];
  for (const p of parts) {
    const state = nextState(p, { type: 'NOTIFY_RESULT' });
    await writePart(tx, scope, p, state, 'inspection.result_notified', { patch: { resultNotifiedAt: scope.at }, payload: { jointTaskId: task.id, method: input.method } });
    const outcome = p.outcome as StoredOutcome;
    const findings = p.findings as { items: { item: string; result: string }[] };
    results.push({
      agencyCode: p.agencyCode,
      agencyName: (await findAgency(tx, p.agencyCode))?.name ?? p.agencyCode,
      outcome: outcome.kind,
      // Every outcome of the unit, a recorded no-penalty ground in its own words (Art. 20 ¶3).
      outcomeZh: outcomeSummaryZh(outcome),
      noticeNo: outcome.noticeNo ?? null,
      dueDate: outcome.dueDate ?? null,
      violations: findings.items.filter((i) => i.result === 'violation').map((i) => i.item),
    });
  }
  const notification = { method: input.method, note: input.note ?? null, notifiedAt: scope.at.toISOString(), results };
  await updateVisit(tx, visit, { notification, resultNotifiedAt: scope.at });
  await auditTask(tx, scope, 'result_notified', task, task.state, notification, visit.enterpriseCode);
  return { enterpriseCode: visit.enterpriseCode, ...notification };
}

/** Re-evaluates the task after a visit ended (closed or revoked). */
async function visitEnded(tx: Db, scope: CommandScope, task: JointTask): Promise<JointTask> {
  const visits = await visitsOf(tx, task.id);
  const openVisits = visits.filter((v) => !v.closedAt && !v.cancelledAt).length;
  const closedVisits = visits.filter((v) => v.closedAt).length;
  const state = taskTransition(task, { type: 'VISIT_ENDED', openVisits, closedVisits });
  if (state === task.state) return task;
  const out = await updateJointTask(tx, task, { state, ...(state === 'closed' ? { closedAt: scope.at } : { cancelledAt: scope.at }) }, scope.at);
  await auditTask(tx, scope, state, out, task.state, { openVisits, closedVisits });
  return out;
}

export async function closeJointVisit(tx: Db, scope: CommandScope, actor: Principal, taskId: string, input: { enterpriseCode?: string }) {
  const { task, visit, parts } = await openVisit(tx, actor, taskId, input.enterpriseCode);
  for (const p of parts) {
    const state = nextState(p, { type: 'CLOSE' });
    await writePart(tx, scope, p, state, 'inspection.closed', { patch: { closedAt: scope.at }, payload: { jointTaskId: task.id } });
  }
  if (visit.code) await closeVisitCode(tx, { code: visit.code });
  await updateVisit(tx, visit, { closedAt: scope.at });
  await auditTask(tx, scope, 'visit_closed', task, task.state, {}, visit.enterpriseCode);
  return visitEnded(tx, scope, task);
}

/** Cancels the visit's parts and revokes its code (refused once the visit has begun, like a single one). */
async function cancelVisit(tx: Db, scope: CommandScope, actor: Principal, task: JointTask, visit: JointVisit, reason: string, action: string, category: RevocationCategory = 'inspection_cancelled') {
  const parts = (await partsOf(tx, task.id, { enterpriseCode: visit.enterpriseCode, lock: true })).map((p) => p.inspection);
  const out: Inspection[] = [];
  for (const p of parts) {
    const state = nextState(p, { type: 'CANCEL' });
    out.push(await writePart(tx, scope, p, state, p.id === parts[0]!.id && action === 'code.revoked' ? 'code.revoked' : 'inspection.cancelled', { payload: { jointTaskId: task.id, code: visit.code, reason } }));
  }
  if (visit.code) await revokeVisitCode(tx, { code: visit.code }, actor, reason, category, scope.at);
  await updateVisit(tx, visit, { cancelledAt: scope.at });
  return out;
}

/** The lead's head cancels the task before its visits begin; live codes are revoked at once. */
export async function cancelJointTask(tx: Db, scope: CommandScope, actor: Principal, taskId: string, reason: string): Promise<JointTask> {
  const task = await lockTask(tx, taskId);
  assertLead(actor, task, true);
  const state = taskTransition(task, { type: 'CANCEL', reason });
  for (const visit of await visitsOf(tx, task.id, 'update')) {
    if (!visit.closedAt && !visit.cancelledAt) await cancelVisit(tx, scope, actor, task, visit, reason, 'inspection.cancelled');
  }
  const out = await updateJointTask(tx, task, { state, cancelledAt: scope.at, cancelReason: reason }, scope.at);
  await auditTask(tx, scope, 'cancelled', out, task.state, { reason });
  return out;
}

/**
 * Revocation of a joint visit's code (POST /codes/:code/revoke reaches the lead's part row): every part of
 * the visit is cancelled with it, so no agency's cap keeps counting a visit that will not happen.
 */
export async function revokeJointVisit(tx: Db, scope: CommandScope, actor: Principal, taskId: string, enterpriseCode: string, reason: string, category: RevocationCategory = 'other'): Promise<Inspection> {
  const task = await lockTask(tx, taskId);
  assertLead(actor, task, true);
  const visit = (await visitsOf(tx, task.id, 'update')).find((v) => v.enterpriseCode === enterpriseCode)!;
  const [lead] = await cancelVisit(tx, scope, actor, task, visit, reason, 'code.revoked', category);
  await auditTask(tx, scope, 'visit_revoked', task, task.state, { code: visit.code, reason, category }, enterpriseCode);
  await visitEnded(tx, scope, task);
  return lead!;
}
