import { and, desc, eq, gt, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { agencies, dashboardCounts } from '../db/schema/index.js';
import { withinJurisdiction } from './jurisdiction.js';

/** A card's rate to three places; null when there is nothing to divide by. */
export const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 1000) / 1000);

/**
 * The dashboard's inspection cards read from `dashboard_counts` (src/db/schema/dashboard-counts.ts), the counts
 * the writes keep: a jurisdiction's year is a few hundred rows per agency, not its inspections. The figures are
 * those of the rows (test/integration/dashboard-summary.test.ts recomputes each card from them).
 */
export function yearCounts(db: Db, p: Principal, from: string, to: string) {
  const c = dashboardCounts;
  const inYear = and(withinJurisdiction(db, p, c.agencyCode), gte(c.countedDate, from), lte(c.countedDate, to));
  const total = sql<number>`sum(${c.inspections})`.mapWith(Number);
  return {
    byKind: () => db.select({ kind: c.kind, n: total }).from(c).where(inYear).groupBy(c.kind).having(gt(total, 0)).orderBy(c.kind),
    byAgency: () =>
      db
        .select({ agencyCode: c.agencyCode, agencyName: agencies.name, n: total })
        .from(c)
        .innerJoin(agencies, eq(agencies.code, c.agencyCode))
        .where(inYear)
        .groupBy(c.agencyCode, agencies.name)
        .having(gt(total, 0))
        .orderBy(desc(total), c.agencyCode),
    /** 亮码率 (Art. 17(2)): on-site routine and special inspections whose window has opened by `now`: with a code, scanned. */
    async scanRate(now: Date) {
      const [row] = await db
        .select({ coded: sql<string>`coalesce(sum(${c.coded}), 0)`, scanned: sql<string>`coalesce(sum(${c.scanned}), 0)` })
        .from(c)
        .where(and(inYear, eq(c.mode, 'onsite'), inArray(c.kind, ['routine', 'special']), lte(c.windowStart, now)));
      const scanned = Number(row?.scanned ?? 0);
      const withCode = Number(row?.coded ?? 0);
      return { scanned, withCode, rate: ratio(scanned, withCode) };
    },
    /** On-site inspections carried out. */
    async onsite() {
      const [row] = await db.select({ n: sql<string>`coalesce(${total}, 0)` }).from(c).where(and(inYear, eq(c.mode, 'onsite')));
      return Number(row?.n ?? 0);
    },
  };
}

export type YearCounts = ReturnType<typeof yearCounts>;
