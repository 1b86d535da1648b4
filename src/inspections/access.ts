import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { findAgency } from '../registry/agencies.repository.js';
import { visibleToEnterprise } from './enterprise-disclosure.js';
import type { Inspection } from './repository.js';

/**
 * Who may see or act on an inspection: its agency's officers and head; supervisors of the city, or of
 * the district its agency belongs to; the inspected enterprise (read only). Nobody else, and a refusal
 * never reveals the inspection's content.
 */
export function assertOwnAgency(p: Principal, agencyCode: string): void {
  if ((p.role === 'officer' || p.role === 'agency_head') && p.agency === agencyCode) return;
  throw new DomainError('OUT_OF_SCOPE', '只能办理本单位的行政检查');
}

/**
 * `now` decides what the enterprise may see yet (src/inspections/enterprise-disclosure.ts): before its
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
