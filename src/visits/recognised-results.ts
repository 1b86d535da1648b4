import { and, arrayOverlaps, desc, eq, gte, isNotNull, lte, ne, or } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { inspections } from '../db/schema/index.js';
import { addDays } from '../time/shanghai-date.js';

/**
 * 检查结果互认 (Art. 24) and 禁止重复检验检测 (Art. 40(7)): the recent results at an enterprise, for the same
 * matters, recorded by other agencies here or by any agency on an upper-level platform (imported, src/exchange).
 * The drafting officer sees them before planning a repeat check or test; REPEATED_TESTING reads them at the
 * findings. "Recent" is RESULTS_RECOGNISED_DAYS (Config.resultsRecognisedDays).
 */

export interface RecognisedResult {
  inspectionId: string;
  agencyCode: string;
  matterCodes: string[];
  countedDate: string;
  outcome: string | null;
  /** Whether the result included a test (sampling here, `sampled` on an imported row). */
  tested: boolean;
  /** The product and batch the test tested, where recorded (findings' sampling, or an imported row's). */
  product: string | null;
  batch: string | null;
  sourceSystem: string | null;
  sourceId: string | null;
}

type Subject = { id?: string; agencyCode: string; enterpriseCode: string; matterCodes: string[]; countedDate: string };

export function resultTested(findings: unknown, outcome: unknown): boolean {
  const samples = (findings as { sampling?: { samples?: number } } | null)?.sampling?.samples ?? 0;
  return samples > 0 || (outcome as { sampled?: boolean } | null)?.sampled === true;
}

/** The product and batch a result's test recorded: the findings' sampling here, the outcome of an imported row. */
export function resultTestedItem(findings: unknown, outcome: unknown): { product: string | null; batch: string | null } {
  const sampling = (findings as { sampling?: { product?: string; batch?: string } } | null)?.sampling;
  const imported = outcome as { product?: string; batch?: string } | null;
  return { product: sampling?.product?.trim() || imported?.product?.trim() || null, batch: sampling?.batch?.trim() || imported?.batch?.trim() || null };
}

export async function recognisedResults(db: Db, s: Subject, days: number): Promise<RecognisedResult[]> {
  const rows = await db
    .select({
      id: inspections.id,
      agencyCode: inspections.agencyCode,
      matterCodes: inspections.matterCodes,
      countedDate: inspections.countedDate,
      outcome: inspections.outcome,
      findings: inspections.findings,
      sourceSystem: inspections.sourceSystem,
      sourceId: inspections.sourceId,
    })
    .from(inspections)
    .where(
      and(
        eq(inspections.enterpriseCode, s.enterpriseCode),
        arrayOverlaps(inspections.matterCodes, s.matterCodes),
        isNotNull(inspections.outcome),
        gte(inspections.countedDate, addDays(s.countedDate, -days)),
        lte(inspections.countedDate, s.countedDate),
        // Other agencies' results here, and every platform's (the agency's own platform record included).
        or(ne(inspections.agencyCode, s.agencyCode), isNotNull(inspections.sourceSystem)),
        ...(s.id ? [ne(inspections.id, s.id)] : []),
      ),
    )
    .orderBy(desc(inspections.countedDate))
    .limit(20);
  return rows.map((r) => ({
    inspectionId: r.id,
    agencyCode: r.agencyCode,
    matterCodes: r.matterCodes.filter((m) => s.matterCodes.includes(m)),
    countedDate: r.countedDate,
    outcome: (r.outcome as { kind?: string } | null)?.kind ?? null,
    tested: resultTested(r.findings, r.outcome),
    ...resultTestedItem(r.findings, r.outcome),
    sourceSystem: r.sourceSystem,
    sourceId: r.sourceId,
  }));
}
