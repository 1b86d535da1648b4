import { and, eq, exists, inArray, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { codeScans, inspectionCodes, inspections } from '../db/schema/index.js';
import type { Inspection } from './repository.js';

/**
 * 检查前不告知 — what the inspected enterprise may see of an inspection, and from when (issue 23).
 *
 * The public check was built so that nobody learns of a visit before the officers arrive; the enterprise's
 * own API must not tell it either. The enterprise sees an inspection from the earlier of:
 * - the start of its registered window (检查时间), or
 * - the first presentation of its code at the enterprise (a scan there, accepted or refused: the officers
 *   are at the door);
 * and an inspection that has started (in progress or later) in any case. Until then — drafted, approved,
 * code issued — it does not exist for the enterprise: the same 404 as an unknown id, so a refusal tells
 * nothing either.
 *
 * A case inspection (个案检查, opened on a lead such as a complaint) is never shown before it has started,
 * whatever its window: a case draft, and the lead behind it, stay inside the agency, and a case cancelled or
 * merged before it started is never shown at all.
 */
export const STARTED_STATES = ['in_progress', 'findings_recorded', 'result_notified', 'closed', 'archived', 'recorded'] as const;

/** The SQL condition on `inspections` for "the enterprise may see it at `now`". */
export function visibleToEnterpriseSql(now: Date): SQL {
  const presented = exists(
    sql`(SELECT 1 FROM ${codeScans} JOIN ${inspectionCodes} ON ${inspectionCodes.code} = ${codeScans.code}
         WHERE ${inspectionCodes.inspectionId} = ${inspections.id} AND ${codeScans.atEnterprise} = ${inspections.enterpriseCode})`,
  );
  return or(inArray(inspections.state, [...STARTED_STATES]), and(ne(inspections.kind, 'case'), or(lte(inspections.windowStart, now), presented)))!;
}

/** Whether the inspected enterprise may see `i` at `now` (the same rule as visibleToEnterpriseSql). */
export async function visibleToEnterprise(db: Db, i: Inspection, now: Date): Promise<boolean> {
  const [row] = await db
    .select({ id: inspections.id })
    .from(inspections)
    .where(and(eq(inspections.id, i.id), visibleToEnterpriseSql(now)));
  return row !== undefined;
}
