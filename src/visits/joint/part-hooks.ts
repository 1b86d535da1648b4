import type { Principal } from '../../auth/principal.js';
import type { CodeFacts } from '../../codes/facts.js';
import type { CommandScope } from '../../commands/command.js';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../errors/domain-error.js';
import type { InspectionStep } from '../hooks.js';
import type { Inspection, InspectionCode } from '../repository.js';
import { writePart } from '../commands/lifecycle.js';
import { nextState } from '../transition.js';
import { flagUncoordinatedSingle, nearbyFromJson, nearbyVisitsQuery, type NearbyVisit } from './coordination-flag.js';
import { sql, type SQL } from 'drizzle-orm';
import { jsonRowsOf } from '../../db/json-rows.js';
import type { JointSettings } from '../../config/joint-settings.js';
import { revokeJointVisit } from './task-visits.js';
import { partOfInspection, partOfInspectionQuery, partsOf } from './tasks.repository.js';

/**
 * The places where the single-inspection flow meets a joint task's part rows, wired into the inspection
 * commands through InspectionHooks (src/visits/joint/inspection-hooks.ts):
 *  - issue-code: a part row never gets a code of its own (refused before anything is written); any other
 *    single on-site code is checked for JOINT_NOT_COORDINATED (Art. 26) once it is issued;
 *  - scan: scanning the joint code moves every part of the visit, not only the lead's row (Art. 17(2));
 *  - lifecycle steps: revoking the joint code cancels every part; other single steps on a part are
 *    refused with a pointer to the task's endpoint, so the parts never drift apart.
 */
/**
 * What the two hooks of a single code read, as one JSON value for the issuance's facts statement: the row's
 * joint task part (the task id, or null) and the other agencies' visits nearby (coordination-flag.ts).
 */
export interface SingleCodeReads {
  taskId: string | null;
  nearby: NearbyVisit[];
}

export function singleCodeReads(i: Inspection, settings: JointSettings): SQL {
  const part = partOfInspectionQuery(i.id);
  const nearby = nearbyVisitsQuery({ enterpriseCode: i.enterpriseCode, countedDate: i.countedDate, days: settings.coordinationDays, excludeAgencies: [i.agencyCode] });
  return sql`json_build_object('taskId', (SELECT p.task_id FROM (${part}) p), 'nearby', ${jsonRowsOf(nearby)})`;
}

/** SingleCodeReads from its JSON value (some drivers hand json over as text). */
const readsOf = (ahead: SingleCodeReads | string | undefined): SingleCodeReads | undefined => {
  if (ahead === undefined) return undefined;
  const v = (typeof ahead === 'string' ? JSON.parse(ahead) : ahead) as { taskId: string | null; nearby: Record<string, unknown>[] };
  return { taskId: v.taskId, nearby: v.nearby.map(nearbyFromJson) };
};

export async function refuseCodeForPart(tx: Db, i: Inspection, ahead?: SingleCodeReads): Promise<void> {
  const known = readsOf(ahead);
  const part = known ? (known.taskId ? { taskId: known.taskId } : undefined) : await partOfInspection(tx, i.id);
  if (part) {
    throw new DomainError('INVALID_TRANSITION', `该检查是“综合查一次”联合检查任务的组成部分，不单独获取检查码；由发起单位为该联合检查任务获取联合检查码`, {
      currentState: i.state,
      allowedEvents: [],
      jointTaskId: part.taskId,
    });
  }
}

export async function afterSingleCode(tx: Db, scope: Pick<CommandScope, 'at'>, actor: Principal, i: Inspection, settings: JointSettings, ahead?: SingleCodeReads): Promise<void> {
  await flagUncoordinatedSingle(tx, scope.at, { sub: actor.sub, role: actor.role }, i, settings.coordinationDays, readsOf(ahead)?.nearby);
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
