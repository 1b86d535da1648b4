import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { ShapedStatements } from '../db/shaped-statement.js';
import { agencies, inspections, samplingCounts, samplingPopulations, samplingTotals } from '../db/schema/index.js';
import { COUNTED_STATES } from '../frequency/facts.js';
import type { CoverageQuestion, CoverageUsage } from './item-coverage.js';

/**
 * The counts item-coverage.ts decides on, read in the caller's transaction (the code-issuing one holds
 * the enterprise lock, so two codes racing for the last planned visit serialise like the frequency caps).
 * Counted like the caps (COUNTED_STATES): only routine inspections, the ones a plan item covers.
 *
 * Nothing is counted here: sampling_counts, sampling_totals and sampling_populations (src/db/schema/sampling-counts.ts)
 * hold the figures, kept by triggers in the transaction of every write to inspections and enterprises, so the
 * check reads rows by their keys instead of the agency's year (~770 k rows for the largest bureau at 10 M
 * inspections) and the district's enterprises (~77 k at 1 M).
 */
export async function loadCoverageUsage(db: Db, agencyCode: string, q: CoverageQuestion, excludeId: string | null): Promise<CoverageUsage> {
  const values = { agencyCode, matterCode: q.matterCode, mode: q.mode, enterpriseCode: q.enterpriseCode, year: q.year, excludeId: excludeId ?? '' };
  const res = await usageStatement.execute<{ usage: UsageJson | string }>(db, { exclude: excludeId !== null }, values);
  return toUsage(res.rows[0]?.usage);
}

// Rendered once per shape (src/db/shaped-statement.ts): read on each plan check of a routine inspection.
const usageStatement = new ShapedStatements<{ agencyCode: string; matterCode: string; mode: CoverageQuestion['mode']; enterpriseCode: string; year: number; excludeId: string }, { exclude: boolean }>(
  (_db, v, shape) => sql`SELECT ${coverageUsageJson(v.agencyCode, v, shape.exclude ? v.excludeId : null)} AS usage`,
);

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
        // The year's bounds in SQL, so the year can be a placeholder (src/visits/issue-facts.ts renders this once).
        sql`${inspections.countedDate} BETWEEN make_date(${q.year}::int, 1, 1) AND make_date(${q.year}::int, 12, 31)`,
      )})`
    : sql`0`;
  const own = and(key(samplingCounts), eq(samplingCounts.enterpriseCode, q.enterpriseCode));
  // The enterprise's own visits under the item, the other enterprises visited (the sampling ratio), and the
  // class's population — a district agency's district, a city agency's city (Art. 11; sampling_populations, kept
  // by a trigger on enterprises). An agency missing from the registry counts the whole city.
  return sql`(SELECT json_build_object(
      'same', coalesce((SELECT ${samplingCounts.visits} FROM ${samplingCounts} WHERE ${own}), 0) - ${self},
      'others', coalesce((SELECT ${samplingTotals.enterprises} FROM ${samplingTotals} WHERE ${key(samplingTotals)}), 0)
                - (SELECT count(*) FROM ${samplingCounts} WHERE ${own} AND ${samplingCounts.visits} > 0),
      'population', CASE WHEN a.district_code IS NULL
                         THEN (SELECT coalesce(sum(${samplingPopulations.inScope}), 0) FROM ${samplingPopulations})
                         ELSE coalesce((SELECT ${samplingPopulations.inScope} FROM ${samplingPopulations} WHERE ${samplingPopulations.districtCode} = a.district_code), 0) END)
    FROM (SELECT 1) AS one LEFT JOIN ${agencies} a ON a.code = ${agencyCode})`;
}
