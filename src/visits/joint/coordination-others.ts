import { and, eq, ne, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { inspections, jointTaskParts } from '../../db/schema/index.js';

/**
 * Other agencies' on-site visits to an enterprise, each with its joint task when it is a part of one: what the
 * advice (coordination.ts) and the proposals from schemes (src/proposals/scheme-proposals.ts) both start from,
 * narrowed by `more` (states, window, days).
 */
export const otherAgenciesOnsiteVisits = (tx: Db, d: { enterpriseCode: string; agencyCode: string }, ...more: SQL[]) =>
  tx
    .select({
      inspectionId: inspections.id,
      agencyCode: inspections.agencyCode,
      enterpriseCode: inspections.enterpriseCode,
      state: inspections.state,
      matterCodes: inspections.matterCodes,
      day: inspections.countedDate,
      windowStart: inspections.windowStart,
      windowEnd: inspections.windowEnd,
      jointTaskId: jointTaskParts.taskId,
    })
    .from(inspections)
    .leftJoin(jointTaskParts, eq(jointTaskParts.inspectionId, inspections.id))
    .where(and(eq(inspections.enterpriseCode, d.enterpriseCode), ne(inspections.agencyCode, d.agencyCode), eq(inspections.mode, 'onsite'), ...more));
