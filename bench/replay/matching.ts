import type { JointListEntry } from '../../src/db/schema/joint.js';
import type { MatchEntry } from '../../src/proposals/matcher.js';
import { matchSchemes, type SchemesMatched } from '../../src/proposals/scheme-matcher.js';
import { PROPOSAL_SETTINGS } from '../../src/proposals/settings.js';
import { WUHAN_DISTRICTS } from '../../seeds/wuhan-districts.js';
import { agencyFor, bureauOf, INDUSTRIES, matterInfo } from './model.js';
import type { ReplayEnterprise } from './world.js';

/**
 * Joint-visit matching (综合查一次, Art. 26–31) for the replay's "with matching" figure: the year's schemes,
 * in the order they were drafted, go through the engine's own proposals-from-schemes matcher
 * (src/proposals/scheme-matcher.ts `matchSchemes`, the function the draft command calls through
 * `matchScheme`), with the scheme-days setting in force (PROPOSAL_SETTINGS.schemeDays).
 *
 * Two assumptions of this benchmark, stated in docs/BENCHMARKS.md:
 *  - the joint list: the replay's registry publishes none, so one is modelled — for every district and every
 *    industry, one entry naming the district counterparts of the bureaus whose matters inspect that industry,
 *    the first bureau of the industry's matters leading (食品 and 商贸: market regulation). City-bureau
 *    visits (Art. 11 ¶2) are on no entry and are never matched;
 *  - every unit accepts: the figure is what proposals from schemes can save, an upper bound.
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

/** The modelled joint list (see above): one entry per district and industry. */
export function modelledJointEntries(): MatchEntry[] {
  const out: MatchEntry[] = [];
  for (const d of WUHAN_DISTRICTS) {
    for (const ind of INDUSTRIES) {
      const byAgency = new Map<string, string[]>();
      for (const m of ind.matters.filter((x) => matterInfo.has(x))) {
        const a = agencyFor(bureauOf(m), d.code, false);
        byAgency.set(a, [...(byAgency.get(a) ?? []), m]);
      }
      if (byAgency.size < 2) continue;
      const units = [...byAgency].map(([agencyCode, matterCodes], k) => ({ agencyCode, role: k === 0 ? ('lead' as const) : ('cooperating' as const), matterCodes }));
      const entry: JointListEntry = { code: `${d.code}-${ind.key}`, name: `${ind.word}“综合查一次”`, content: '', basis: '', items: [], units };
      out.push({ listId: 'replay-modelled-list', listVersion: 1, districtCode: d.code, entry });
    }
  }
  return out;
}

/** `schemeDays`: the setting in force unless a sensitivity run asks for another horizon. */
export function matchJointVisits(schemes: readonly SchemeRecord[], enterprises: readonly ReplayEnterprise[], schemeDays = PROPOSAL_SETTINGS.schemeDays): SchemesMatched {
  const districtOf = new Map(enterprises.map((e) => [e.creditCode, e.districtCode]));
  const drafts = schemes.map((s) => ({ inspectionId: s.inspectionId, agencyCode: s.agencyCode, enterpriseCode: s.enterpriseCode, matterCodes: s.matterCodes, day: s.visitDate }));
  return matchSchemes(drafts, modelledJointEntries(), (c) => districtOf.get(c)!, schemeDays);
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
