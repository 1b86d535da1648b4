import type { Principal } from '../../auth/principal.js';
import type { CodeFacts } from '../../codes/facts.js';
import type { CommandScope } from '../../commands/command.js';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../errors/domain-error.js';
import type { InspectionStep } from '../hooks.js';
import type { Inspection, InspectionCode } from '../repository.js';
import { writePart } from '../commands/lifecycle.js';
import { nextState } from '../transition.js';
import { flagUncoordinatedSingle } from './coordination-flag.js';
import type { JointSettings } from '../../config/joint-settings.js';
import { revokeJointVisit } from './task-visits.js';
import { partOfInspection, partsOf } from './tasks.repository.js';

/**
 * The places where the single-inspection flow meets a joint task's part rows, wired into the inspection
 * commands through InspectionHooks (src/visits/joint/inspection-hooks.ts):
 *  - issue-code: a part row never gets a code of its own (refused before anything is written); any other
 *    single on-site code is checked for JOINT_NOT_COORDINATED (Art. 26) once it is issued;
 *  - scan: scanning the joint code moves every part of the visit, not only the lead's row (Art. 17(2));
 *  - lifecycle steps: revoking the joint code cancels every part; other single steps on a part are
 *    refused with a pointer to the task's endpoint, so the parts never drift apart.
 */
export async function refuseCodeForPart(tx: Db, i: Inspection): Promise<void> {
  const part = await partOfInspection(tx, i.id);
  if (part) {
    throw new DomainError('INVALID_TRANSITION', `该检查是“综合查一次”联合检查任务的组成部分，不单独获取检查码；由发起单位为该联合检查任务获取联合检查码`, {
      currentState: i.state,
      allowedEvents: [],
      jointTaskId: part.taskId,
    });
  }
}

export async function afterSingleCode(tx: Db, scope: Pick<CommandScope, 'at'>, actor: Principal, i: Inspection, settings: JointSettings): Promise<void> {
  await flagUncoordinatedSingle(tx, scope.at, { sub: actor.sub, role: actor.role }, i, settings.coordinationDays);
}

export async function scanJointParts(tx: Db, { at, audit }: Pick<CommandScope, 'at' | 'audit'>, code: InspectionCode): Promise<void> {
  if ((code.facts as CodeFacts).kind !== 'joint') return;
  const lead = await partOfInspection(tx, code.inspectionId);
  if (!lead) return;
  for (const { inspection: p } of await partsOf(tx, lead.taskId, { enterpriseCode: lead.enterpriseCode, lock: true })) {
    if (p.id === code.inspectionId || p.state !== 'code_issued') continue;
    await writePart(tx, { at, audit }, p, nextState(p, { type: 'SCAN' }), 'code.scanned', { payload: { code: code.code, jointTaskId: lead.taskId } });
  }
}

/** Returns the stepped row when `i` is a joint part (handled here), or undefined for a single inspection. */
export async function stepOnJointPart(
  tx: Db,
  scope: CommandScope,
  actor: Principal,
  i: Inspection,
  step: InspectionStep,
): Promise<Inspection | undefined> {
  const part = await partOfInspection(tx, i.id);
  if (!part) return undefined;
  if (step.type === 'revoke_code') return revokeJointVisit(tx, scope, actor, part.taskId, part.enterpriseCode, step.reason, step.category);
  throw new DomainError('INVALID_TRANSITION', `该检查是“综合查一次”联合检查任务的组成部分，须通过该联合检查任务的相应操作办理`, {
    currentState: i.state,
    allowedEvents: [],
    jointTaskId: part.taskId,
  });
}
