import type { Principal } from '../../auth/principal.js';
import { newCodeId } from '../../codes/code-id.js';
import { effectiveStart, FROM_ISSUANCE_ZH, startsAtIssuance } from '../../codes/effective-start.js';
import type { CodeFacts } from '../../codes/facts.js';
import type { Keyring } from '../../codes/keyring.js';
import type { CommandScope } from '../../commands/command.js';
import type { Db } from '../../db/client.js';
import { inspectionCodes } from '../../db/schema/index.js';
import { DomainError } from '../../errors/domain-error.js';
import { lockEnterprise, updateInspection } from '../repository.js';
import { nextState } from '../transition.js';
import { findAgency } from '../../registry/agencies.repository.js';
import type { RuleResult } from '../../rules/result.js';
import { shanghaiYear } from '../../time/shanghai-date.js';
import { flagUncoordinatedAgainstJoint } from './coordination-flag.js';
import type { JointSettings } from '../../joint/settings.js';
import { assertLead } from '../../access/visits.js';
import { auditTask, lockTask, taskTransition } from './task-audit.js';
import { partGuards, planGuards, JOINT_TEAM_TOO_LARGE, teamOf } from './task-guards.js';
import { findJointTask, partsOf, unitsOf, updateJointTask, updateVisit, visitsOf } from './tasks.repository.js';

export interface IssuedJointCode {
  enterpriseCode: string;
  code: string;
  kid: string;
  signature: string;
  inspectionId: string;
  facts: CodeFacts;
  /** Effective start (Art. 17(1)): the task window's start, or the issuance when the window had begun. */
  validFrom: string;
  validFromIssuance: boolean;
  validityNote: string | null;
}

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
  const state = taskTransition(task, { type: 'ISSUE_CODE' });
  if (scope.at >= task.windowEnd) throw DomainError.field('windowEnd', '登记的检查时间已过，不能再获取检查码；请取消后重新发起任务');

  const units = (await unitsOf(tx, task.id)).filter((u) => u.state === 'approved');
  const team = teamOf(units);
  const parts = await partsOf(tx, task.id, { lock: true });
  const names = new Map<string, string>();
  for (const u of units) names.set(u.agencyCode, (await findAgency(tx, u.agencyCode))?.name ?? u.agencyCode);
  const checks: RuleResult[] = [JOINT_TEAM_TOO_LARGE(team, settings.teamMax), ...(await planGuards(tx, task, units))];
  for (const { inspection } of parts) checks.push(...(await partGuards(tx, inspection, team, names.get(inspection.agencyCode)!)));
  const failed = checks.filter((r) => !r.passed);
  if (failed.length > 0) throw DomainError.fromRules(failed);

  const agencies = units.map((u) => u.agencyCode);
  const matters = [...new Set(units.flatMap((u) => u.matterCodes))];
  const visits = await visitsOf(tx, task.id, 'update');
  // Art. 17(1) holds for a joint visit's code too (Art. 29): it never vouches for a moment before it exists.
  const validFrom = effectiveStart(task.windowStart, scope.at);
  const fromIssuance = startsAtIssuance(task.windowStart, scope.at);
  const issued: IssuedJointCode[] = [];
  for (const visit of visits) {
    const visitParts = parts.filter((p) => p.part.enterpriseCode === visit.enterpriseCode);
    const lead = visitParts.find((p) => p.part.role === 'lead')!.inspection;
    const code = newCodeId(shanghaiYear(task.windowStart));
    const facts: CodeFacts = {
      code,
      inspectionId: lead.id,
      agencies,
      enterprise: visit.enterpriseCode,
      matters,
      kind: 'joint',
      validFrom: validFrom.toISOString(),
      validTo: task.windowEnd.toISOString(),
      inspectorCount: team.length,
    };
    const { kid, signature } = keyring.sign(facts);
    await tx.insert(inspectionCodes).values({
      code,
      inspectionId: lead.id,
      kid,
      signature,
      facts,
      validFrom,
      validTo: task.windowEnd,
      state: 'active',
      issuedBy: actor.sub,
      issuedAt: scope.at,
    });
    for (const { inspection } of visitParts) {
      const after = nextState(inspection, { type: 'ISSUE_CODE' });
      await updateInspection(tx, inspection, { state: after, ...(inspection.id === lead.id ? { inspectors: team } : {}) }, scope.at);
      await scope.audit({
        action: 'inspection.code_issued',
        subjectType: 'inspection',
        subjectId: inspection.id,
        agencyCode: inspection.agencyCode,
        enterpriseCode: inspection.enterpriseCode,
        districtCode: (await findAgency(tx, inspection.agencyCode))?.districtCode ?? null,
        before: inspection.state,
        after,
        payload: { code, jointTaskId: task.id, kind: 'joint', ...(inspection.id === lead.id ? { kid, signature } : {}) },
      });
    }
    await updateVisit(tx, visit, { code });
    issued.push({
      enterpriseCode: visit.enterpriseCode,
      code,
      kid,
      signature,
      inspectionId: lead.id,
      facts,
      validFrom: facts.validFrom,
      validFromIssuance: fromIssuance,
      validityNote: fromIssuance ? FROM_ISSUANCE_ZH : null,
    });
  }
  const out = await updateJointTask(tx, task, { state, codeIssuedAt: scope.at }, scope.at);
  await auditTask(tx, scope, 'code_issued', out, task.state, {
    codes: issued.map((c) => ({ enterpriseCode: c.enterpriseCode, code: c.code })),
    checks: checks.map((r) => ({ rule: r.rule, observed: r.observed, limit: r.limit })),
  });
  for (const c of issued) await flagUncoordinatedAgainstJoint(tx, scope, actor, settings, out, c.enterpriseCode);
  return issued;
}
