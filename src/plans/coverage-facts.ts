import { and, eq, inArray, ne, sql } from 'drizzle-orm';
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
  // One statement for the three counts (each a round trip before): the enterprise's own visits under the item,
  // the other enterprises visited (the sampling ratio), and the class's population — a district agency's
  // district, a city agency's city (Art. 11). An agency missing from the registry counts the whole city.
  const res = await db.execute<{ same: string | number; others: string | number; population: string | number }>(sql`
    SELECT (SELECT count(*) FROM ${inspections} WHERE ${and(base, eq(inspections.enterpriseCode, q.enterpriseCode))}) AS same,
           (SELECT count(DISTINCT ${inspections.enterpriseCode}) FROM ${inspections} WHERE ${and(base, ne(inspections.enterpriseCode, q.enterpriseCode))}) AS others,
           (SELECT count(*) FROM ${enterprises}
             WHERE ${ne(enterprises.scope, 'out_of_scope')}
               AND (a.district_code IS NULL OR ${enterprises.districtCode} = a.district_code)) AS population
      FROM (SELECT 1) AS one LEFT JOIN ${agencies} a ON a.code = ${agencyCode}`);
  const row = (res as unknown as { rows: { same: string | number; others: string | number; population: string | number }[] }).rows[0];
  const [same, others, population] = [row?.same, row?.others, row?.population];
  return { sameEnterprise: Number(same ?? 0), otherEnterprises: Number(others ?? 0), population: Number(population ?? 0) };
}
