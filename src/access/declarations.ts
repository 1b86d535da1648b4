import { inArray, type SQL } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { declarations } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import type { Agency } from '../registry/agencies.repository.js';
import { agenciesOf, supervisedDistrict } from '../supervision/jurisdiction.js';

/**
 * Whose declaration it is: the same scoping as flags (src/supervision/flag-scope.ts, Art. 6). A
 * declaration always names its agency, so it belongs to the city bureau and to the justice bureau of the
 * agency's own district; where the visit happened does not move it.
 */
export function declarationJurisdiction(db: Db, p: Principal): SQL | undefined {
  const district = supervisedDistrict(p);
  return district ? inArray(declarations.agencyCode, agenciesOf(db, district)) : undefined;
}

/** The same test on one loaded declaration; a refusal never says what it holds. */
export function assertDeclarationWithinJurisdiction(p: Principal, agency: Agency | undefined): void {
  const district = supervisedDistrict(p);
  if (district && agency?.districtCode !== district) {
    throw new DomainError('OUT_OF_SCOPE', `区级监督人员只能查看和审核本辖区（${district}）行政执法主体的声明事项`);
  }
}

/** Nobody reviews their own unit's declaration (as with flags, src/supervision/flag-review.ts). */
export function assertNotOwnUnit(p: Principal, agencyCode: string): void {
  if (p.agency === agencyCode) throw new DomainError('OUT_OF_SCOPE', '监督人员不能审核本单位的声明事项');
}
