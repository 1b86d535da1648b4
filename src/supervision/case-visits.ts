import { and, asc, eq, gte, inArray, lte } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { agencies, inspections } from '../db/schema/index.js';
import { LEAD_KIND_ZH } from '../visits/terms-zh.js';

/**
 * Visits the agency recorded as on-site case inspections (个案检查, Art. 9). Art. 17 requires the code for
 * on-site routine and special inspections only, so a visit that a recorded case inspection covers is not
 * an inspection without a code, nor a disguised one (Art. 40(5)).
 *
 * "Covers" (docs/COMPLIANCE.md, 第十七条): the same enterprise (and the same agency when the enterprise
 * names it); an on-site case inspection the agency has started — in progress, with findings, notified,
 * closed or archived (a draft or approved case that never started is a plan, not a visit); and its
 * registered time span (window start to window end) contains the visit instant. When the case was
 * recorded does not matter: the Order asks no prior registration of a case inspection, and the record's
 * creation stays on the audit chain for the supervisors.
 */
const STARTED = ['in_progress', 'findings_recorded', 'result_notified', 'closed', 'archived'] as const;

export interface CaseVisit {
  inspectionId: string;
  kind: 'case';
  kindZh: string;
  leadKind: string | null;
  leadKindZh: string | null;
  agencyCode: string;
  agencyName: string | null;
  windowStart: string;
  windowEnd: string;
}

const columns = {
  id: inspections.id,
  leadKind: inspections.leadKind,
  agencyCode: inspections.agencyCode,
  agencyName: agencies.name,
  windowStart: inspections.windowStart,
  windowEnd: inspections.windowEnd,
};

type Row = { id: string; leadKind: string | null; agencyCode: string; agencyName: string | null; windowStart: Date; windowEnd: Date };

function view(r: Row): CaseVisit {
  return {
    inspectionId: r.id,
    kind: 'case',
    kindZh: '个案检查',
    leadKind: r.leadKind,
    // The lead's kind only: its reference (who complained) is never shown to the enterprise.
    leadKindZh: r.leadKind ? (LEAD_KIND_ZH[r.leadKind] ?? r.leadKind) : null,
    agencyCode: r.agencyCode,
    agencyName: r.agencyName,
    windowStart: r.windowStart.toISOString(),
    windowEnd: r.windowEnd.toISOString(),
  };
}

/** Recorded on-site case inspections at `enterprise` covering the instant `at`, oldest window first. */
export async function caseVisitsAt(db: Db, enterprise: string, at: Date, agencyCode?: string): Promise<CaseVisit[]> {
  const rows = await db
    .select(columns)
    .from(inspections)
    .leftJoin(agencies, eq(agencies.code, inspections.agencyCode))
    .where(
      and(
        eq(inspections.enterpriseCode, enterprise),
        eq(inspections.kind, 'case'),
        eq(inspections.mode, 'onsite'),
        inArray(inspections.state, [...STARTED]),
        lte(inspections.windowStart, at),
        gte(inspections.windowEnd, at),
        agencyCode ? eq(inspections.agencyCode, agencyCode) : undefined,
      ),
    )
    .orderBy(asc(inspections.windowStart), asc(inspections.id));
  return rows.map(view);
}

/** The case inspections some reports recorded, by inspection id, for the reports' views. */
export async function caseVisitsByIds(db: Db, ids: (string | null)[]): Promise<Map<string, CaseVisit>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.select(columns).from(inspections).leftJoin(agencies, eq(agencies.code, inspections.agencyCode)).where(inArray(inspections.id, wanted));
  return new Map(rows.map((r) => [r.id, view(r)]));
}
