import { and, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { agencies, dashboardCounts } from '../db/schema/index.js';
import { KIND_ZH } from '../visits/documents.js';
import { agenciesOf, supervisedDistrict } from './jurisdiction.js';

/** A card's rate to three places; null when there is nothing to divide by. */
export const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 1000) / 1000);

/**
 * The dashboard's inspection cards, read from `dashboard_counts` (src/db/schema/dashboard-counts.ts), the counts
 * the writes keep, in one pass over the jurisdiction's year of them (a district's through the key, one range per
 * agency): per agency, kind and mode, the inspections carried out and, of on-site routine and special ones whose
 * window has opened by `now`, those with a code and those scanned (亮码率, Art. 17(2)). The figures are those of the
 * rows (test/integration/dashboard-summary.test.ts recomputes each card from them).
 */
export async function yearCounts(db: Db, p: Principal, from: string, to: string, now: Date) {
  const c = dashboardCounts;
  const district = supervisedDistrict(p);
  // = ANY(ARRAY(…)): the district's agencies as an index condition on the key, not a join over the whole table.
  const scope = district ? sql`${c.agencyCode} = ANY(ARRAY(${agenciesOf(db, district)}))` : undefined;
  const opened = sql`${c.mode} = 'onsite' AND ${c.kind} IN ('routine', 'special') AND ${c.windowStart} <= ${now.toISOString()}::timestamptz`;
  const rows = await db
    .select({
      agencyCode: c.agencyCode,
      kind: c.kind,
      mode: c.mode,
      n: sql<number>`sum(${c.inspections})`.mapWith(Number),
      coded: sql<number>`coalesce(sum(${c.coded}) FILTER (WHERE ${opened}), 0)`.mapWith(Number),
      scanned: sql<number>`coalesce(sum(${c.scanned}) FILTER (WHERE ${opened}), 0)`.mapWith(Number),
    })
    .from(c)
    .where(and(scope, gte(c.countedDate, from), lte(c.countedDate, to)))
    .groupBy(c.agencyCode, c.kind, c.mode);
  const sum = <K extends string>(key: (r: (typeof rows)[number]) => K) => {
    const m = new Map<K, number>();
    for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + r.n);
    return [...m].filter(([, n]) => n > 0);
  };
  const perAgency = sum((r) => r.agencyCode);
  const names = perAgency.length
    ? await db.select({ code: agencies.code, name: agencies.name }).from(agencies).where(inArray(agencies.code, perAgency.map(([code]) => code)))
    : [];
  const nameOf = new Map(names.map((a) => [a.code, a.name]));
  const withCode = rows.reduce((s, r) => s + r.coded, 0);
  const scanned = rows.reduce((s, r) => s + r.scanned, 0);
  return {
    byKind: sum((r) => r.kind)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, count]) => ({ kind, kindZh: KIND_ZH[kind] ?? kind, count })),
    // As the rows' join with agencies did: agencies that exist, by count, then code.
    byAgency: perAgency
      .filter(([code]) => nameOf.has(code))
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
      .map(([agencyCode, count]) => ({ agencyCode, agencyName: nameOf.get(agencyCode)!, count })),
    scanRate: { scanned, withCode, rate: ratio(scanned, withCode) },
    /** On-site inspections carried out. */
    onsite: rows.filter((r) => r.mode === 'onsite').reduce((s, r) => s + r.n, 0),
  };
}

export type YearCounts = Awaited<ReturnType<typeof yearCounts>>;
