import { and, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { agencies, enterprises, inspections, samplingCounts, samplingTotals } from '../db/schema/index.js';
import { COUNTED_STATES } from '../frequency/facts.js';
import type { CoverageQuestion, CoverageUsage } from './item-coverage.js';

/**
 * The counts item-coverage.ts decides on, read in the caller's transaction (the code-issuing one holds
 * the enterprise lock, so two codes racing for the last planned visit serialise like the frequency caps).
 * Counted like the caps (COUNTED_STATES): only routine inspections, the ones a plan item covers.
 *
 * The visits are not counted here: sampling_counts and sampling_totals (src/db/schema/sampling-counts.ts) hold
 * them, kept by a trigger in the transaction of every write to inspections, so the check reads two rows by their
 * keys instead of the agency's year (~770 k rows for the largest bureau at 10 M inspections).
 */
export async function loadCoverageUsage(db: Db, agencyCode: string, q: CoverageQuestion, excludeId: string | null): Promise<CoverageUsage> {
  const res = await db.execute<{ usage: UsageJson }>(sql`SELECT ${coverageUsageJson(agencyCode, q, excludeId)} AS usage`);
  return toUsage((res as unknown as { rows: { usage: UsageJson | string }[] }).rows[0]?.usage);
}

type UsageJson = { same: number; others: number; population: number };

/** The usage from coverageUsageJson's value (a JSON object; some drivers hand json over as text). */
export function toUsage(v: UsageJson | string | undefined | null): CoverageUsage {
  const u = (typeof v === 'string' ? JSON.parse(v) : v) as UsageJson | null | undefined;
  return { sameEnterprise: Number(u?.same ?? 0), otherEnterprises: Number(u?.others ?? 0), population: Number(u?.population ?? 0) };
}

/** The three figures as one JSON value, for loadCoverageUsage and for the issuance's one facts statement. */
export function coverageUsageJson(agencyCode: string, q: CoverageQuestion, excludeId: string | null): SQL {
  const key = (t: typeof samplingCounts | typeof samplingTotals) =>
    and(eq(t.agencyCode, agencyCode), eq(t.matterCode, q.matterCode), eq(t.mode, q.mode), eq(t.year, q.year));
  // `excludeId` is the inspection being checked, always of q.enterpriseCode: already counted (a re-check), it is
  // taken off its own enterprise's visits; the other enterprises' count never held it.
  const self = excludeId
    ? sql`(SELECT count(*) FROM ${inspections} WHERE ${and(
        eq(inspections.id, excludeId),
        eq(inspections.agencyCode, agencyCode),
        eq(inspections.enterpriseCode, q.enterpriseCode),
        eq(inspections.kind, 'routine'),
        eq(inspections.mode, q.mode),
        inArray(inspections.state, [...COUNTED_STATES]),
        sql`${q.matterCode} = ANY(${inspections.matterCodes})`,
        sql`${inspections.countedDate} BETWEEN ${`${q.year}-01-01`} AND ${`${q.year}-12-31`}`,
      )})`
    : sql`0`;
  const own = and(key(samplingCounts), eq(samplingCounts.enterpriseCode, q.enterpriseCode));
  // The enterprise's own visits under the item, the other enterprises visited (the sampling ratio), and the
  // class's population — a district agency's district, a city agency's city (Art. 11; index
  // enterprises_district_idx). An agency missing from the registry counts the whole city.
  return sql`(SELECT json_build_object(
      'same', coalesce((SELECT ${samplingCounts.visits} FROM ${samplingCounts} WHERE ${own}), 0) - ${self},
      'others', coalesce((SELECT ${samplingTotals.enterprises} FROM ${samplingTotals} WHERE ${key(samplingTotals)}), 0)
                - (SELECT count(*) FROM ${samplingCounts} WHERE ${own} AND ${samplingCounts.visits} > 0),
      'population', CASE WHEN a.district_code IS NULL
                         THEN (SELECT count(*) FROM ${enterprises} WHERE ${ne(enterprises.scope, 'out_of_scope')})
                         -- Its own branch, so the district's count is a range of enterprises_district_idx, not a scan of the city.
                         ELSE (SELECT count(*) FROM ${enterprises} WHERE ${enterprises.districtCode} = a.district_code AND ${ne(enterprises.scope, 'out_of_scope')}) END)
    FROM (SELECT 1) AS one LEFT JOIN ${agencies} a ON a.code = ${agencyCode})`;
}
