import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { findAgency } from '../registry/agencies.repository.js';
import type { JointTask, JointTaskUnit } from './tasks.repository.js';

/**
 * Who acts on a joint task: the lead unit (发起单位) launches, assigns, asks for the code and runs the
 * visit; each unit answers and approves only its own part (Art. 17(1): its own head approves). Supervisors
 * read tasks of the units in their jurisdiction. A refusal never reveals the task's content.
 */
export function assertLead(actor: Principal, task: JointTask, headOnly = false): void {
  if ((actor.role === 'officer' || actor.role === 'agency_head') && actor.agency === task.leadAgencyCode) {
    if (headOnly && actor.role !== 'agency_head') throw new DomainError('FORBIDDEN_ROLE', '此操作须由发起单位负责人办理');
    return;
  }
  throw new DomainError('OUT_OF_SCOPE', '只有发起单位可以办理此操作');
}

/** The unit the caller acts for, or a refusal. */
export function unitOfActor(actor: Principal, units: readonly JointTaskUnit[]): JointTaskUnit {
  const unit = (actor.role === 'officer' || actor.role === 'agency_head') && units.find((u) => u.agencyCode === actor.agency);
  if (!unit) throw new DomainError('OUT_OF_SCOPE', '本单位不是该“综合查一次”任务的参与单位');
  return unit;
}

export async function assertMayReadTask(db: Db, actor: Principal, units: readonly JointTaskUnit[]): Promise<void> {
  if (actor.role === 'officer' || actor.role === 'agency_head') {
    if (units.some((u) => u.agencyCode === actor.agency)) return;
  } else if (actor.role === 'supervisor') {
    if (!actor.district) return;
    for (const u of units) if ((await findAgency(db, u.agencyCode))?.districtCode === actor.district) return;
  }
  throw new DomainError('OUT_OF_SCOPE', '无权查看该“综合查一次”任务');
}
