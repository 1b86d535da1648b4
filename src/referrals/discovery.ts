import { and, eq, min } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { codeScans, inspectionCodes } from '../db/schema/index.js';
import type { Inspection } from '../visits/repository.js';
import { shanghaiDate } from '../time/shanghai-date.js';

/**
 * Art. 23's 10 working days run from discovery (发现). When a violation was found in an inspection, it
 * cannot have been found before the inspection began, nor (for findings) after the visit. The inspection
 * began on the earlier of its window start and its first accepted scan at the door; the visit's date is
 * the day of that first accepted scan (the inspectors were on site), or the counted date (its window's
 * day) when no scan was made (off-site inspections).
 */
export interface InspectionDays {
  startedOn: string;
  visitedOn: string;
}

export async function inspectionDays(tx: Db, i: Pick<Inspection, 'id' | 'windowStart' | 'countedDate'>): Promise<InspectionDays> {
  const [row] = await tx
    .select({ first: min(codeScans.scannedAt) })
    .from(codeScans)
    .innerJoin(inspectionCodes, eq(inspectionCodes.code, codeScans.code))
    .where(and(eq(inspectionCodes.inspectionId, i.id), eq(codeScans.accepted, true)));
  const scanned = row?.first ? shanghaiDate(new Date(row.first)) : null;
  const windowDay = shanghaiDate(i.windowStart);
  const visitedOn = scanned ?? i.countedDate;
  return { startedOn: windowDay < visitedOn ? windowDay : visitedOn, visitedOn };
}
