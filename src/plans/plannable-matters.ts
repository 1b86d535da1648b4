import { and, eq, gte, isNull, lte, ne, or } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { inspectionMatters } from '../db/schema/index.js';

/**
 * Art. 7 and 13: a plan is made 根据行政检查事项清单, so each planned matter must be on the agency's
 * published list. A plan covers a year, so a matter qualifies when a published version is in force on
 * some day between `from` (the day of submission, or 1 January if later) and 31 December: a matter
 * published before submission but taking effect later in the year can be planned, and will be usable
 * only from its effective date (code issuance checks the matter on the inspection's date).
 */
export async function unplannableMatters(db: Db, agencyCode: string, matterCodes: readonly string[], year: number, today: string): Promise<string[]> {
  const from = today > `${year}-01-01` ? today : `${year}-01-01`;
  const to = `${year}-12-31`;
  const out: string[] = [];
  for (const code of new Set(matterCodes)) {
    const [row] = await db
      .select({ id: inspectionMatters.id })
      .from(inspectionMatters)
      .where(
        and(
          eq(inspectionMatters.agencyCode, agencyCode),
          eq(inspectionMatters.matterCode, code),
          ne(inspectionMatters.state, 'draft'),
          lte(inspectionMatters.effectiveFrom, to),
          or(isNull(inspectionMatters.effectiveTo), gte(inspectionMatters.effectiveTo, from)),
        ),
      )
      .limit(1);
    if (!row) out.push(code);
  }
  return out;
}
