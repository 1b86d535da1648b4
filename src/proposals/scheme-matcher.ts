import { addDays } from '../time/shanghai-date.js';
import type { MatchEntry, ProposedUnit } from './matcher.js';

/**
 * Proposals from schemes (Art. 26: 应协同尽协同; Art. 27–28: a joint visit is launched from a published list
 * entry by its lead unit). Pure: the draft command (src/proposals/scheme-proposals.ts) and the replay's
 * "with matching" figure (bench/replay/matching.ts) call the same functions.
 *
 * Choices, and why:
 *  1. Only under a list entry in force whose units include the drafting agencies, with the lead among them.
 *     A joint visit is launched from an entry by its lead (launchJointTask); without one nothing could be
 *     launched, and JOINT_NOT_COORDINATED is not raised either (coordination-entries.ts) — so no proposal.
 *  2. Largest saving first (as matchPeriod): the entry covering the most agencies with a visit in reach wins;
 *     ties go to the entry listed first.
 *  3. Per agency, its visit nearest in days to the new draft (ties: the earlier-drafted, i.e. first listed):
 *     a joint visit replaces ONE visit of each unit.
 */
export interface SchemeVisit {
  inspectionId: string;
  agencyCode: string;
  enterpriseCode: string;
  matterCodes: readonly string[];
  /** Shanghai date the visit counts on (YYYY-MM-DD). */
  day: string;
}

export interface SchemeUnit extends ProposedUnit {
  inspectionId: string;
}

export interface SchemeMatch {
  entry: MatchEntry;
  leadAgencyCode: string;
  units: SchemeUnit[];
}

const within = (a: string, b: string, days: number) => addDays(a, -days) <= b && b <= addDays(a, days);

/**
 * The joint visit a new draft makes with the other agencies' visits at the same enterprise, or null. `others`
 * are candidates the caller may not have filtered (other agency, within `schemeDays`): both are checked here.
 */
export function matchScheme(drafted: SchemeVisit, others: readonly SchemeVisit[], entries: readonly MatchEntry[], districtCode: string, schemeDays: number): SchemeMatch | null {
  const byAgency = new Map<string, SchemeVisit>([[drafted.agencyCode, drafted]]);
  const gap = (v: SchemeVisit) => Math.abs(Date.parse(v.day) - Date.parse(drafted.day));
  for (const o of others) {
    if (o.agencyCode === drafted.agencyCode || o.enterpriseCode !== drafted.enterpriseCode || !within(drafted.day, o.day, schemeDays)) continue;
    const held = byAgency.get(o.agencyCode);
    if (!held || gap(o) < gap(held)) byAgency.set(o.agencyCode, o);
  }
  if (byAgency.size < 2) return null;
  let best: SchemeMatch | null = null;
  for (const m of entries) {
    if (m.districtCode && m.districtCode !== districtCode) continue;
    const units: SchemeUnit[] = [];
    for (const u of m.entry.units) {
      const v = byAgency.get(u.agencyCode);
      const matterCodes = v ? u.matterCodes.filter((mc) => v.matterCodes.includes(mc)) : [];
      if (v && matterCodes.length) units.push({ agencyCode: u.agencyCode, role: u.role, matterCodes, planItemIds: [], inspectionId: v.inspectionId });
    }
    if (units.length < 2 || !units.some((u) => u.agencyCode === drafted.agencyCode)) continue;
    const lead = units.find((u) => u.role === 'lead');
    if (!lead) continue;
    if (!best || units.length > best.units.length) best = { entry: m, leadAgencyCode: lead.agencyCode, units };
  }
  return best;
}

export interface SchemesMatched {
  /** Each proposal's inspection ids (one per unit): one joint visit each, when every unit accepts. */
  groups: string[][];
  visitsBefore: number;
  visitsAfter: number;
}

/**
 * A year of schemes in the order they were drafted, matched as the draft command does: each new draft is
 * matched against the enterprise's visits not yet in a proposal; a match takes its visits out. Every unit is
 * assumed to accept (the upper bound of what proposals from schemes can save). Memory: the visits of one
 * `schemeDays` horizon per enterprise would do; this keeps each enterprise's unmatched visits, O(V).
 */
export function matchSchemes(drafts: Iterable<SchemeVisit>, entries: readonly MatchEntry[], districtOf: (enterpriseCode: string) => string, schemeDays: number): SchemesMatched {
  const open = new Map<string, SchemeVisit[]>();
  const groups: string[][] = [];
  let visitsBefore = 0;
  for (const d of drafts) {
    visitsBefore += 1;
    const pending = open.get(d.enterpriseCode) ?? [];
    const m = matchScheme(d, pending, entries, districtOf(d.enterpriseCode), schemeDays);
    if (!m) {
      pending.push(d);
      open.set(d.enterpriseCode, pending);
      continue;
    }
    const ids = new Set(m.units.map((u) => u.inspectionId));
    groups.push([...ids]);
    open.set(d.enterpriseCode, pending.filter((v) => !ids.has(v.inspectionId)));
  }
  const merged = groups.reduce((s, g) => s + g.length - 1, 0);
  return { groups, visitsBefore, visitsAfter: visitsBefore - merged };
}
