import { and, eq, gte, inArray, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { agencies, districts, inspections, jointTaskParts, jointTasks } from '../../db/schema/index.js';
import { COUNTED_STATES } from '../../frequency/facts.js';

/**
 * Supervisors' figures for 综合查一次 (Art. 26–31): per agency and per district, how many on-site visits
 * were made and how many of them as part of a joint visit (the joint-inspection rate), and how many visits
 * at enterprises' doors the joint visits saved — a joint visit of k agencies replaces k separate visits,
 * saving k − 1.
 *
 * Counted are on-site inspections that happened (a code issued or later: the frequency caps' states) with
 * their counted date in the year. An agency belongs to its district, city agencies to the city level
 * (district `null`); a joint visit's savings are credited to its lead unit's district. A district
 * supervisor sees the agencies of the district, as everywhere else.
 */
export interface JointStats {
  year: number;
  district: string | null;
  totals: Figures;
  byDistrict: (Figures & { districtCode: string | null; districtName: string })[];
  byAgency: { agencyCode: string; agencyName: string; districtCode: string | null; onsiteVisits: number; jointVisits: number; jointRate: number }[];
}

interface Figures {
  onsiteVisits: number;
  jointVisits: number;
  jointRate: number;
  /** Joint visits led from here (one per task and enterprise). */
  jointTasksVisits: number;
  visitsSaved: number;
}

const rate = (joint: number, all: number) => (all === 0 ? 0 : Math.round((joint / all) * 10_000) / 10_000);

export async function jointInspectionStats(db: Db, year: number, district: string | null): Promise<JointStats> {
  const rows = await db
    .select({
      agencyCode: inspections.agencyCode,
      agencyName: agencies.name,
      districtCode: agencies.districtCode,
      enterpriseCode: inspections.enterpriseCode,
      taskId: jointTaskParts.taskId,
      leadAgencyCode: jointTasks.leadAgencyCode,
      sourceSystem: inspections.sourceSystem,
      sourceId: inspections.sourceId,
    })
    .from(inspections)
    .innerJoin(agencies, eq(agencies.code, inspections.agencyCode))
    .leftJoin(jointTaskParts, eq(jointTaskParts.inspectionId, inspections.id))
    .leftJoin(jointTasks, eq(jointTasks.id, jointTaskParts.taskId))
    .where(
      and(
        eq(inspections.mode, 'onsite'),
        inArray(inspections.state, [...COUNTED_STATES]),
        gte(inspections.countedDate, `${year}-01-01`),
        lte(inspections.countedDate, `${year}-12-31`),
      ),
    );
  const districtOf = new Map((await db.select({ code: agencies.code, districtCode: agencies.districtCode }).from(agencies)).map((a) => [a.code, a.districtCode]));
  const names = new Map((await db.select().from(districts)).map((d) => [d.code, d.name]));
  const inScope = (d: string | null) => district === null || d === district;

  // A joint visit imported from an upper-level platform (src/exchange): the lead's row has the platform's source
  // id, each cooperating part's row `<that id>#<agency>` — one joint visit, as a local task's parts are.
  const importedKey = (r: (typeof rows)[number]): string | null => {
    if (!r.sourceSystem || !r.sourceId) return null;
    const [visitId] = r.sourceId.split('#');
    return `import\u0000${r.sourceSystem}\u0000${visitId}`;
  };
  const importedJoint = new Set(rows.filter((r) => r.sourceId?.includes('#')).map(importedKey));
  const jointKey = (r: (typeof rows)[number]): string | null => {
    if (r.taskId) return `${r.taskId}\u0000${r.enterpriseCode}`;
    const k = importedKey(r);
    return k && importedJoint.has(k) ? k : null;
  };
  const byAgency = new Map<string, JointStats['byAgency'][number]>();
  const visits = new Map<string, { lead: string; participants: number }>();
  for (const r of rows) {
    const key = jointKey(r);
    if (key) {
      const v = visits.get(key) ?? { lead: r.leadAgencyCode ?? '', participants: 0 };
      if (!r.taskId && !r.sourceId!.includes('#')) v.lead = r.agencyCode;
      v.participants++;
      visits.set(key, v);
    }
    if (!inScope(r.districtCode)) continue;
    const a = byAgency.get(r.agencyCode) ?? { agencyCode: r.agencyCode, agencyName: r.agencyName, districtCode: r.districtCode, onsiteVisits: 0, jointVisits: 0, jointRate: 0 };
    a.onsiteVisits++;
    if (key) a.jointVisits++;
    byAgency.set(r.agencyCode, a);
  }
  const byDistrict = new Map<string | null, JointStats['byDistrict'][number]>();
  const districtRow = (d: string | null) => {
    const row = byDistrict.get(d) ?? { districtCode: d, districtName: d === null ? '市级' : (names.get(d) ?? d), onsiteVisits: 0, jointVisits: 0, jointRate: 0, jointTasksVisits: 0, visitsSaved: 0 };
    byDistrict.set(d, row);
    return row;
  };
  for (const a of byAgency.values()) {
    a.jointRate = rate(a.jointVisits, a.onsiteVisits);
    const d = districtRow(a.districtCode);
    d.onsiteVisits += a.onsiteVisits;
    d.jointVisits += a.jointVisits;
  }
  for (const v of visits.values()) {
    const d = districtOf.get(v.lead) ?? null;
    if (!inScope(d)) continue;
    const row = districtRow(d);
    row.jointTasksVisits++;
    row.visitsSaved += v.participants - 1;
  }
  const districtsOut = [...byDistrict.values()].map((d) => ({ ...d, jointRate: rate(d.jointVisits, d.onsiteVisits) }));
  const sum = (k: 'onsiteVisits' | 'jointVisits' | 'jointTasksVisits' | 'visitsSaved') => districtsOut.reduce((n, d) => n + d[k], 0);
  return {
    year,
    district,
    totals: { onsiteVisits: sum('onsiteVisits'), jointVisits: sum('jointVisits'), jointRate: rate(sum('jointVisits'), sum('onsiteVisits')), jointTasksVisits: sum('jointTasksVisits'), visitsSaved: sum('visitsSaved') },
    byDistrict: districtsOut.sort((a, b) => (a.districtCode ?? '').localeCompare(b.districtCode ?? '')),
    byAgency: [...byAgency.values()].sort((a, b) => a.agencyCode.localeCompare(b.agencyCode)),
  };
}
