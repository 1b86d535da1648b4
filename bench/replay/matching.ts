/**
 * Joint-visit matching (综合查一次, Art. 26–31) for the replay's "with matching" figure.
 *
 * NOT WIRED YET: the engine's matcher (src/proposals/matcher.ts, `matchPeriod`) proposes joint visits from
 * filed plan items; the replay's schemes are drafted one by one, and proposals from drafted schemes (issue 26)
 * are not built. Until they are, this seam returns null and the replay reports visits per enterprise without
 * matching only.
 */
export interface SchemeRecord {
  inspectionId: string;
  agencyCode: string;
  enterpriseCode: string;
  matterCodes: string[];
  /** Shanghai date of the visit (YYYY-MM-DD). */
  visitDate: string;
}

/** Groups of inspection ids that would be one joint visit; every scheme not in a group stays a visit of its own. */
export type JointGrouping = string[][];

export async function matchJointVisits(_schemes: readonly SchemeRecord[]): Promise<JointGrouping | null> {
  return null; // not wired yet (see above)
}

/** Visits an enterprise receives when the grouped schemes are one visit each. */
export function visitsWithGrouping(schemes: readonly SchemeRecord[], groups: JointGrouping): Map<string, number> {
  const groupOf = new Map<string, number>();
  groups.forEach((g, i) => g.forEach((id) => groupOf.set(id, i)));
  const seen = new Set<string>();
  const visits = new Map<string, number>();
  for (const s of schemes) {
    const g = groupOf.get(s.inspectionId);
    const key = g === undefined ? s.inspectionId : `group:${g}`;
    if (seen.has(key)) continue;
    seen.add(key);
    visits.set(s.enterpriseCode, (visits.get(s.enterpriseCode) ?? 0) + 1);
  }
  return visits;
}
