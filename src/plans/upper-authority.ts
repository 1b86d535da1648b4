import type { Db } from '../db/client.js';
import { eq, or } from 'drizzle-orm';
import { agencies } from '../db/schema/index.js';
import { findAgency, type Agency } from '../registry/agencies.repository.js';

/** WH-SCJG and 420106-SCJG are the city and district levels of one bureau (seeds/wuhan-agencies.ts). */
const bureauKey = (code: string) => code.slice(code.lastIndexOf('-') + 1);

/**
 * Is `upperAgency` the upper authority (上级主管部门) of `lower`? Its recorded parent, or the city level of the
 * same bureau for a district agency whose parent is not recorded.
 */
export function isUpperAuthorityOf(upperAgency: Agency, lower: Agency): boolean {
  if (upperAgency.code === lower.code) return false;
  if (lower.parentCode === upperAgency.code) return true;
  return upperAgency.level === 'city' && lower.level === 'district' && bureauKey(upperAgency.code) === bureauKey(lower.code);
}

/**
 * The upper authority a plan is also reported to (Art. 13: 报…上级主管部门备案), as far as the registry
 * knows it: the recorded parent, else the city level of the same bureau for a district agency. A city
 * agency's upper authority is provincial or national, outside the registry: null.
 */
export async function upperAuthorityCodeOf(db: Db, agency: Agency): Promise<string | null> {
  if (agency.parentCode) return agency.parentCode;
  if (agency.level !== 'district') return null;
  const city = await findAgency(db, `WH-${bureauKey(agency.code)}`);
  return city && isUpperAuthorityOf(city, agency) ? city.code : null;
}

/**
 * The registry's agency a deployment names as its authority (Art. 13 ¶2), by code or by registered name;
 * undefined when the registry does not hold it (a provincial or national authority).
 */
export async function namedAuthority(db: Db, named: string): Promise<Agency | undefined> {
  const [row] = await db.select().from(agencies).where(or(eq(agencies.code, named), eq(agencies.name, named))).limit(1);
  return row;
}
