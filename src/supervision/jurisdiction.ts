import { eq, inArray, or, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { agencies } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import type { Agency } from '../registry/agencies.repository.js';

/**
 * A supervisor's jurisdiction (Art. 6: 市、区司法行政部门 supervise their own level): the city bureau's
 * supervisors see everything; a district bureau's (token claim `district`) see the agencies of their
 * district and whatever happened in it. Every supervision query narrows with these conditions, so a
 * district never reads another's data by changing a filter.
 */
export function supervisedDistrict(p: Principal): string | undefined {
  return p.role === 'supervisor' ? p.district : undefined;
}

/** Agencies whose home district is `district`. */
export const agenciesOf = (db: Db, district: string) => db.select({ code: agencies.code }).from(agencies).where(eq(agencies.districtCode, district));

/**
 * Rows whose agency belongs to the supervisor's district, or (when the row records where it happened)
 * whose district is that district. Undefined for the city: no condition.
 */
export function withinJurisdiction(db: Db, p: Principal, agencyColumn: AnyPgColumn, districtColumn?: AnyPgColumn): SQL | undefined {
  const district = supervisedDistrict(p);
  if (!district) return undefined;
  const byAgency = inArray(agencyColumn, agenciesOf(db, district));
  return districtColumn ? or(byAgency, eq(districtColumn, district)) : byAgency;
}

/** The same test on one loaded row; a refusal never says what the row holds. */
export function assertWithinJurisdiction(p: Principal, row: { agency?: Agency | undefined; districtCode?: string | null }, what: string): void {
  const district = supervisedDistrict(p);
  if (!district) return;
  if (row.agency?.districtCode === district || row.districtCode === district) return;
  throw new DomainError('OUT_OF_SCOPE', `区级监督人员只能查看本辖区（${district}）的${what}`);
}
