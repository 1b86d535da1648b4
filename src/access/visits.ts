import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { findAgency } from '../registry/agencies.repository.js';
import { visibleToEnterprise } from '../visits/enterprise-disclosure.js';
import type { Inspection } from '../visits/repository.js';

/**
 * Access to a visit, decided here and nowhere else: a single inspection's rows, and a joint task's (综合查一次)
 * lead unit and participating units.
 *
 * Who may see or act on an inspection: its agency's officers and head; supervisors of the city, or of
 * the district its agency belongs to; the inspected enterprise (read only). Nobody else, and a refusal
 * never reveals the inspection's content.
 */
export function assertOwnAgency(p: Principal, agencyCode: string): void {
  if ((p.role === 'officer' || p.role === 'agency_head') && p.agency === agencyCode) return;
  throw new DomainError('OUT_OF_SCOPE', '只能办理本单位的行政检查');
}

/**
 * `now` decides what the enterprise may see yet (src/visits/enterprise-disclosure.ts): before its
 * visit, the enterprise's own inspection answers as an unknown one does.
 */
export async function assertMayRead(db: Db, p: Principal, i: Inspection, now: Date): Promise<void> {
  switch (p.role) {
    case 'officer':
    case 'agency_head':
      if (p.agency === i.agencyCode) return;
      break;
    case 'enterprise':
      if (p.creditCode !== i.enterpriseCode) break;
      if (await visibleToEnterprise(db, i, now)) return;
      throw DomainError.notFound('行政检查', i.id);
    case 'supervisor': {
      if (!p.district) return;
      const agency = await findAgency(db, i.agencyCode);
      if (agency?.districtCode === p.district) return;
      break;
    }
    default:
      break;
  }
  throw new DomainError('OUT_OF_SCOPE', '无权查看该行政检查');
}

/**
 * Who acts on a joint task: the lead unit (发起单位) launches, assigns, asks for the code and runs the
 * visit; each unit answers and approves only its own part (Art. 17(1): its own head approves). Supervisors
 * read tasks of the units in their jurisdiction. A refusal never reveals the task's content.
 */
export function assertLead(actor: Principal, task: { leadAgencyCode: string }, headOnly = false): void {
  if ((actor.role === 'officer' || actor.role === 'agency_head') && actor.agency === task.leadAgencyCode) {
    if (headOnly && actor.role !== 'agency_head') throw new DomainError('FORBIDDEN_ROLE', '此操作须由发起单位负责人办理');
    return;
  }
  throw new DomainError('OUT_OF_SCOPE', '只有发起单位可以办理此操作');
}

/** The unit the caller acts for, or a refusal. */
export function unitOfActor<U extends { agencyCode: string }>(actor: Principal, units: readonly U[]): U {
  const unit = (actor.role === 'officer' || actor.role === 'agency_head') && units.find((u) => u.agencyCode === actor.agency);
  if (!unit) throw new DomainError('OUT_OF_SCOPE', '本单位不是该“综合查一次”任务的参与单位');
  return unit;
}

export async function assertMayReadTask(db: Db, actor: Principal, units: readonly { agencyCode: string }[]): Promise<void> {
  if (actor.role === 'officer' || actor.role === 'agency_head') {
    if (units.some((u) => u.agencyCode === actor.agency)) return;
  } else if (actor.role === 'supervisor') {
    if (!actor.district) return;
    for (const u of units) if ((await findAgency(db, u.agencyCode))?.districtCode === actor.district) return;
  }
  throw new DomainError('OUT_OF_SCOPE', '无权查看该“综合查一次”任务');
}
