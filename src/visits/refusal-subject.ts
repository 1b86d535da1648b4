import type { RefusalSubject } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { findAgency } from '../registry/agencies.repository.js';
import { findInspection } from './repository.js';

/** What a refusal on an inspection is recorded against, with the district so district supervisors see it. */
export async function inspectionRefusalSubject(db: Db, id: string): Promise<RefusalSubject | null> {
  const i = await findInspection(db, id);
  if (!i) return null;
  const agency = await findAgency(db, i.agencyCode);
  return { subjectType: 'inspection', subjectId: i.id, agencyCode: i.agencyCode, enterpriseCode: i.enterpriseCode, districtCode: agency?.districtCode ?? null };
}
