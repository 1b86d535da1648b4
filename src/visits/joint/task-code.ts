import type { Principal } from '../../auth/principal.js';
import type { Keyring } from '../../codes/keyring.js';
import type { CommandScope } from '../../commands/command.js';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../errors/domain-error.js';
import { issueVisitCode, type IssuedVisitCode } from '../commands/issue-code.js';
import { lockEnterprise } from '../repository.js';
import { findAgency } from '../../registry/agencies.repository.js';
import type { RuleResult } from '../../rules/result.js';
import { flagUncoordinatedAgainstJoint } from './coordination-flag.js';
import type { JointSettings } from '../../config/joint-settings.js';
import { assertLead } from '../../access/visits.js';
import { auditTask, lockTask, taskTransition } from './task-audit.js';
import { partGuards, planGuards, JOINT_TEAM_TOO_LARGE, teamOf } from './task-guards.js';
import { findJointTask, partsOf, unitsOf, updateJointTask, updateVisit, visitsOf } from './tasks.repository.js';

export type IssuedJointCode = Omit<IssuedVisitCode, 'validTo' | 'windowStart'> & { enterpriseCode: string };

/**
 * ONE code per visited enterprise for the whole joint visit (Art. 17, 26–31): it names every participating
 * agency and matter (kind 'joint') and hangs on the lead unit's inspection row, whose `inspectors` then
 * record the visit's whole team, so the public check and the notice name every officer.
 *
 * Everything is re-checked in one transaction under `lockEnterprise` for each enterprise — taken in
 * credit-code order, so two tasks sharing enterprises cannot deadlock — before the task row is locked
 * (the order issueCode uses: enterprise, then the row). Each unit is counted on its own inspection row, so
 * a racing single inspection or another joint task at the same enterprise sees this visit in its count.
 */
export async function issueJointCodes(tx: Db, scope: CommandScope, actor: Principal, keyring: Keyring, settings: JointSettings, taskId: string): Promise<IssuedJointCode[]> {
  const peek = await findJointTask(tx, taskId);
  if (!peek) throw DomainError.notFound('“综合查一次”任务', taskId);
  assertLead(actor, peek);
  for (const code of [...peek.enterpriseCodes].sort()) await lockEnterprise(tx, code);
  const task = await lockTask(tx, taskId);
  taskTransition(task, { type: 'ISSUE_CODE', failed: [] }); // the state first, as for a single inspection
  if (scope.at >= task.windowEnd) throw DomainError.field('windowEnd', '登记的检查时间已过，不能再获取检查码；请取消后重新发起任务');

  const units = (await unitsOf(tx, task.id)).filter((u) => u.state === 'approved');
  const team = teamOf(units);
  const parts = await partsOf(tx, task.id, { lock: true });
  const names = new Map<string, string>();
  for (const u of units) names.set(u.agencyCode, (await findAgency(tx, u.agencyCode))?.name ?? u.agencyCode);
  const checks: RuleResult[] = [JOINT_TEAM_TOO_LARGE(team, settings.teamMax), ...(await planGuards(tx, task, units))];
  for (const { inspection } of parts) checks.push(...(await partGuards(tx, inspection, team, names.get(inspection.agencyCode)!)));
  // The task machine decides by the failed results (noRuleFailed), before any visit is coded.
  const state = taskTransition(task, { type: 'ISSUE_CODE', failed: checks.filter((r) => !r.passed) });

  const agencies = units.map((u) => u.agencyCode);
  const matters = [...new Set(units.flatMap((u) => u.matterCodes))];
  const visits = await visitsOf(tx, task.id, 'update');
  const issued: IssuedJointCode[] = [];
  for (const visit of visits) {
    const visitParts = parts.filter((p) => p.part.enterpriseCode === visit.enterpriseCode).map((p) => ({ role: p.part.role, inspection: p.inspection }));
    const lead = visitParts.find((p) => p.role === 'lead')!.inspection;
    // Art. 17(1) holds for a joint visit's code too (Art. 29): the same issuance as a single inspection's.
    const { validTo: _validTo, windowStart: _windowStart, ...c } = await issueVisitCode(tx, scope, actor, keyring, {
      lead,
      parts: visitParts.map((p) => p.inspection),
      agencies,
      matters,
      kind: 'joint',
      windowStart: task.windowStart,
      windowEnd: task.windowEnd,
      inspectorCount: team.length,
      failed: [],
      patch: (p) => (p.id === lead.id ? { inspectors: team } : {}),
      payload: (p, s) => ({ jointTaskId: task.id, kind: 'joint', ...(p.id === lead.id ? { kid: s.kid, signature: s.signature } : {}) }),
      districtOf: async (p) => (await findAgency(tx, p.agencyCode))?.districtCode ?? null,
    });
    await updateVisit(tx, visit, { code: c.code });
    issued.push({ enterpriseCode: visit.enterpriseCode, ...c });
  }
  const out = await updateJointTask(tx, task, { state, codeIssuedAt: scope.at }, scope.at);
  await auditTask(tx, scope, 'code_issued', out, task.state, {
    codes: issued.map((c) => ({ enterpriseCode: c.enterpriseCode, code: c.code })),
    checks: checks.map((r) => ({ rule: r.rule, observed: r.observed, limit: r.limit })),
  });
  for (const c of issued) await flagUncoordinatedAgainstJoint(tx, scope, actor, settings, out, c.enterpriseCode);
  return issued;
}
