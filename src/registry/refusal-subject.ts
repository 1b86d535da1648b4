import type { RefusalSubject } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { findAgency } from './agencies.repository.js';
import { findEnterprise } from './enterprises.repository.js';

export interface SubjectKeys {
  subjectType: string;
  subjectId: string;
  agencyCode?: string | null;
  enterpriseCode?: string | null;
  districtCode?: string | null;
}

/**
 * A refusal subject known from the request, as a loader runCommand calls only when a rule refuses: the
 * district is looked up from the agency (else the enterprise) so district supervisors see the refusal.
 * A refusal to create something not yet stored is recorded against the agency that asked or the
 * enterprise it concerns.
 */
export function refusalSubjectOf(db: Db, keys: SubjectKeys | (() => Promise<SubjectKeys | null>)): () => Promise<RefusalSubject | null> {
  return async () => {
    const s = typeof keys === 'function' ? await keys() : keys;
    if (!s) return null;
    const agencyDistrict = s.agencyCode ? (await findAgency(db, s.agencyCode))?.districtCode : undefined;
    const enterpriseDistrict = !agencyDistrict && s.enterpriseCode ? (await findEnterprise(db, s.enterpriseCode))?.districtCode : undefined;
    return {
      subjectType: s.subjectType,
      subjectId: s.subjectId,
      agencyCode: s.agencyCode ?? null,
      enterpriseCode: s.enterpriseCode ?? null,
      districtCode: s.districtCode ?? agencyDistrict ?? enterpriseDistrict ?? null,
    };
  };
}
