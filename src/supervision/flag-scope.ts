import { and, eq, inArray, isNull, or, type SQL } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { flags } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import type { Agency } from '../registry/agencies.repository.js';
import { agenciesOf, supervisedDistrict } from './jurisdiction.js';

/**
 * Whose flag it is (Art. 6: 市、区司法行政部门在本级人民政府领导下……履行行政执法监督职责). A flag about an
 * agency belongs to the supervisors of that agency's level: the city bureau (every flag) and the justice
 * bureau of the agency's own district (district agencies). Where the flagged visit happened does not move
 * it: a district bureau never reviews a city agency or another district's agency, even when the reporting
 * enterprise sits in its district — it may still read that enterprise's report (reports.repository.ts).
 * A flag that names no agency (an enterprise's report naming the visitors only in free text) has nobody
 * else to review it than the bureau of the district where it happened, so it stays with `districtCode`.
 */
export function flagJurisdiction(db: Db, p: Principal): SQL | undefined {
  const district = supervisedDistrict(p);
  if (!district) return undefined;
  return or(inArray(flags.agencyCode, agenciesOf(db, district)), and(isNull(flags.agencyCode), eq(flags.districtCode, district)));
}

/** The same test on one loaded flag; a refusal never says what the flag holds. */
export function assertFlagWithinJurisdiction(p: Principal, flag: { agencyCode: string | null; districtCode: string | null }, agency: Agency | undefined): void {
  const district = supervisedDistrict(p);
  if (!district) return;
  const owned = flag.agencyCode ? agency?.districtCode === district : flag.districtCode === district;
  if (!owned) throw new DomainError('OUT_OF_SCOPE', `区级监督人员只能查看和审阅本辖区（${district}）行政执法主体的违规标记`);
}
