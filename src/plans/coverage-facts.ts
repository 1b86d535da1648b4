import { and, count, countDistinct, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { agencies, enterprises, inspections } from '../db/schema/index.js';
import { COUNTED_STATES } from '../frequency/facts.js';
import type { CoverageQuestion, CoverageUsage } from './item-coverage.js';

/**
 * The counts item-coverage.ts decides on, read in the caller's transaction (the code-issuing one holds
 * the enterprise lock, so two codes racing for the last planned visit serialise like the frequency caps).
 * Counted like the caps (COUNTED_STATES): only routine inspections, the ones a plan item covers.
 */
export async function loadCoverageUsage(db: Db, agencyCode: string, q: CoverageQuestion, excludeId: string | null): Promise<CoverageUsage> {
  const base = and(
    eq(inspections.agencyCode, agencyCode),
    eq(inspections.kind, 'routine'),
    eq(inspections.mode, q.mode),
    inArray(inspections.state, [...COUNTED_STATES]),
    sql`${q.matterCode} = ANY(${inspections.matterCodes})`,
    sql`${inspections.countedDate} BETWEEN ${`${q.year}-01-01`} AND ${`${q.year}-12-31`}`,
    excludeId ? ne(inspections.id, excludeId) : undefined,
  );
  // One query after another: they share the caller's transaction (one connection).
  const [same] = await db.select({ n: count() }).from(inspections).where(and(base, eq(inspections.enterpriseCode, q.enterpriseCode)));
  const [others] = await db.select({ n: countDistinct(inspections.enterpriseCode) }).from(inspections).where(and(base, ne(inspections.enterpriseCode, q.enterpriseCode)));
  const [agency] = await db.select({ districtCode: agencies.districtCode }).from(agencies).where(eq(agencies.code, agencyCode));
  // A district agency's class is its district's enterprises; a city agency's, the city's (Art. 11).
  const [population] = await db
    .select({ n: count() })
    .from(enterprises)
    .where(and(ne(enterprises.scope, 'out_of_scope'), agency?.districtCode ? eq(enterprises.districtCode, agency.districtCode) : undefined));
  return { sameEnterprise: Number(same?.n ?? 0), otherEnterprises: Number(others?.n ?? 0), population: Number(population?.n ?? 0) };
}
