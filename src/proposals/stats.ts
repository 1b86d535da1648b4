import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { jointProposals, jointProposalUnits } from '../db/schema/index.js';
import { COUNTED_STATES } from '../frequency/facts.js';
import { distribution } from './matcher.js';

/**
 * What matching saved, counted (Art. 26: 应协同尽协同 exists to cut the times an enterprise is visited).
 *  - proposals made / accepted / declined / lapsed, per unit's agency, district and quarter;
 *  - visits avoided: for every launched proposal, from plans or from schemes alike, the units that took part would each have visited
 *    separately; one visit replaced them, so it avoided (units − 1). The rows behind it are returned;
 *  - visits per enterprise in the year (p50/p99/max), counting each agency's on-site row (before) and each
 *    distinct visit, a joint visit once (after).
 */
export interface ProposalStats {
  year: number;
  district: string | null;
  counts: { agencyCode: string; districtCode: string; period: string; made: number; accepted: number; declined: number; lapsed: number }[];
  visitsAvoided: number;
  avoidedRows: { proposalId: string; source: 'plan' | 'scheme'; enterpriseCode: string; period: string; jointTaskId: string | null; unitsTakingPart: number; avoided: number }[];
  perEnterprise: { before: Dist; after: Dist };
}
type Dist = { p50: number; p99: number; max: number; n: number };

const rows = <T>(r: unknown) => (r as { rows: T[] }).rows;

export async function proposalStats(db: Db, year: number, district: string | null): Promise<ProposalStats> {
  const inYear = sql`${jointProposals.period} LIKE ${`${year}Q%`}`;
  const where: SQL = and(inYear, district ? eq(jointProposals.districtCode, district) : undefined)!;
  const counts = await db
    .select({
      agencyCode: jointProposalUnits.agencyCode,
      districtCode: jointProposals.districtCode,
      period: jointProposals.period,
      made: sql<number>`count(*)::int`,
      accepted: sql<number>`(count(*) FILTER (WHERE ${jointProposalUnits.state} = 'accepted'))::int`,
      declined: sql<number>`(count(*) FILTER (WHERE ${jointProposalUnits.state} = 'declined'))::int`,
      lapsed: sql<number>`(count(*) FILTER (WHERE ${jointProposalUnits.state} = 'lapsed'))::int`,
    })
    .from(jointProposalUnits)
    .innerJoin(jointProposals, eq(jointProposals.id, jointProposalUnits.proposalId))
    .where(where)
    .groupBy(jointProposalUnits.agencyCode, jointProposals.districtCode, jointProposals.period)
    .orderBy(jointProposals.period, jointProposals.districtCode, jointProposalUnits.agencyCode);
  const launched = await db
    .select({
      proposalId: jointProposals.id,
      source: jointProposals.source,
      enterpriseCode: jointProposals.enterpriseCode,
      period: jointProposals.period,
      jointTaskId: jointProposals.jointTaskId,
      unitsTakingPart: sql<number>`(count(*) FILTER (WHERE ${jointProposalUnits.state} = 'accepted'))::int`,
    })
    .from(jointProposals)
    .innerJoin(jointProposalUnits, eq(jointProposalUnits.proposalId, jointProposals.id))
    .where(and(where, eq(jointProposals.state, 'launched')))
    .groupBy(jointProposals.id)
    .orderBy(jointProposals.period, jointProposals.enterpriseCode);
  const avoidedRows = launched.map((r) => ({ ...r, avoided: Math.max(0, Number(r.unitsTakingPart) - 1) }));
  const per = rows<{ before: number; after: number }>(await db.execute(visitsPerEnterprise(year, district)));
  return {
    year,
    district,
    counts,
    visitsAvoided: avoidedRows.reduce((s, r) => s + r.avoided, 0),
    avoidedRows,
    perEnterprise: { before: distribution(per.map((r) => Number(r.before))), after: distribution(per.map((r) => Number(r.after))) },
  };
}

/**
 * Each enterprise's on-site visits in the year, counted twice: `before`, each agency's counted on-site row; `after`,
 * each distinct visit (the parts of one joint visit once). One query for the distribution and for its rows, so the
 * figure and the numbers behind it cannot drift apart.
 */
function visitsPerEnterprise(year: number, district: string | null): SQL {
  const states = sql.join(COUNTED_STATES.map((s) => sql`${s}`), sql`, `);
  return sql`
      SELECT i.enterprise_code, count(*)::int AS before, count(DISTINCT coalesce(p.task_id::text, i.id::text))::int AS after
        FROM inspections i
        LEFT JOIN joint_task_parts p ON p.inspection_id = i.id
        JOIN enterprises e ON e.credit_code = i.enterprise_code
       WHERE i.mode = 'onsite' AND i.state IN (${states})
         AND i.counted_date BETWEEN ${`${year}-01-01`} AND ${`${year}-12-31`}
         ${district ? sql`AND e.district_code = ${district}` : sql``}
       GROUP BY i.enterprise_code`;
}

export interface EnterpriseVisitsRow {
  enterpriseCode: string;
  enterpriseName: string;
  districtCode: string;
  before: number;
  after: number;
}

/** The rows behind the visits-per-enterprise figure, most visited first, one page of them, and how many there are. */
export async function enterpriseVisits(db: Db, year: number, district: string | null, page: { limit: number; offset: number }): Promise<{ items: EnterpriseVisitsRow[]; total: number }> {
  const found = rows<{ enterprise_code: string; name: string; district_code: string; before: number; after: number; total: number }>(
    await db.execute(sql`
      SELECT v.enterprise_code, e.name, e.district_code, v.before, v.after, (count(*) OVER ())::int AS total
        FROM (${visitsPerEnterprise(year, district)}) v
        JOIN enterprises e ON e.credit_code = v.enterprise_code
       ORDER BY v.before DESC, v.after DESC, v.enterprise_code
       LIMIT ${page.limit} OFFSET ${page.offset}`),
  );
  const total = found[0] ? Number(found[0].total) : page.offset > 0 ? await countEnterprises(db, year, district) : 0;
  return { items: found.map((r) => ({ enterpriseCode: r.enterprise_code, enterpriseName: r.name, districtCode: r.district_code, before: Number(r.before), after: Number(r.after) })), total };
}

// A page past the end has no row to carry the total: counted on its own.
async function countEnterprises(db: Db, year: number, district: string | null): Promise<number> {
  const [r] = rows<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM (${visitsPerEnterprise(year, district)}) v`));
  return Number(r?.n ?? 0);
}
