import { and, count, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { enterprises } from '../db/schema/registry.js';
import { classWhere, hasAxis, type ClassFilter } from './class-filter.js';

/**
 * The exact population of a class item (Art. 13 检查比例): the in-scope enterprises matching the filter in
 * the agency's territory (its district, or the city for a city agency — Art. 11). Null for a free-text
 * class (未匹配): the caller keeps counting every in-scope enterprise of the territory, as before.
 */
export async function classPopulation(db: Db, territory: string | null, filter: ClassFilter | null | undefined): Promise<number | null> {
  if (!hasAxis(filter)) return null;
  const [row] = await db
    .select({ n: count() })
    .from(enterprises)
    .where(and(classWhere(filter), territory ? eq(enterprises.districtCode, territory) : undefined));
  return Number(row?.n ?? 0);
}

/** Populations of the filtered class items among `items`, by item id (for CoverageUsage.classPopulations). */
export async function classPopulations(db: Db, territory: string | null, items: readonly { id: string; targetKind: string; classFilter?: ClassFilter | null }[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const i of items) {
    if (i.targetKind !== 'class') continue;
    const n = await classPopulation(db, territory, i.classFilter);
    if (n !== null) out[i.id] = n;
  }
  return out;
}
