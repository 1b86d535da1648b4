import type { JointListEntry } from '../db/schema/joint.js';
import { mergeChecklist } from '../visits/joint/checklist.js';
import { sampleSize } from '../plans/item-coverage.js';
import { hasAxis, inClass, type ClassFilter, type ClassMember } from './class-filter.js';
import { drawRank, LowestK } from './draw.js';

/**
 * The matcher (Art. 26–28: 应协同尽协同, 综合查一次). Pure: no database, no clock — the caller streams the
 * registry in, and a benchmark can call it on synthetic data. For one period (a quarter) it reads every
 * agency's filed on-site plan items and the joint-list entries in force, and for each enterprise that two
 * or more units of one entry will reach, proposes ONE joint visit.
 *
 * Work and memory. E enterprises, C class items with a filter, N named targets, P proposals, D days.
 *  - pass 1 (populations): O(E · C) time, O(C) memory — each enterprise is tested against the class items
 *    of its territory only;
 *  - pass 2 (the shared draw): O(E · C · log k) time, O(Σk) memory — a bounded heap per item (LowestK);
 *  - grouping and windows: O(R · L) for R reached enterprises and L entries, O(R + A · D) memory.
 *  The registry itself is never held: `enterprises()` is iterated two or three times, each time afresh (the
 *  database runner streams it in keyset pages by credit code, src/proposals/run-match.ts), so memory is bounded
 *  by one page, the samples and the named lists, not by the city's register.
 *
 * Greedy choices, and why:
 *  1. Largest saving first: at an enterprise, the entry covering the most reaching units is proposed first
 *     and its units are taken out, then the next. One visit that spares three agencies beats two that spare
 *     two; the exact cover is NP-hard in general and entries rarely overlap at one enterprise.
 *  2. Earliest common window first: plan items run the whole year, so every working day of the period fits
 *     every unit's item; the proposal takes the first working day on which every unit still has room
 *     (`perUnitPerDay` visits a day). Early windows leave the rest of the quarter for follow-ups and for
 *     proposals from schemes, and a unit that lets one lapse still has time to visit alone.
 *  3. Enterprises are taken in credit-code order, so the result is a function of the inputs and the seed.
 */
export interface MatchItem {
  agencyCode: string;
  itemId: string;
  matterCode: string;
  method: 'onsite' | 'offsite';
  targetKind: 'named' | 'class';
  targetEnterprises: readonly string[];
  classFilter: ClassFilter | null;
  samplingRatio: number | null;
}

export interface MatchEntry {
  listId: string;
  listVersion: number;
  /** A district list applies in its district only; null: a city list. */
  districtCode: string | null;
  entry: JointListEntry;
}

export interface MatchEnterprise extends ClassMember {
  creditCode: string;
}

export interface MatchInput {
  /** e.g. `2026Q2`. */
  period: string;
  /** The seed of the shared draw, recorded with every proposal it produced. */
  seed: string;
  /** The period's working days (Shanghai dates, ascending) a window may fall on. */
  days: readonly string[];
  perUnitPerDay: number;
  teamMax: number;
  items: readonly MatchItem[];
  entries: readonly MatchEntry[];
  /** Each agency's territory: its district, or null for a city agency (Art. 11). */
  territories: Readonly<Record<string, string | null>>;
}

export interface ProposedUnit {
  agencyCode: string;
  role: 'lead' | 'cooperating';
  matterCodes: string[];
  planItemIds: string[];
}

export interface ProposedVisit {
  enterpriseCode: string;
  districtCode: string;
  listId: string;
  listVersion: number;
  entryCode: string;
  leadAgencyCode: string;
  units: ProposedUnit[];
  /** The window's day (Shanghai); null when no day of the period had room for every unit. */
  day: string | null;
  /** Chosen by the class draw (the seed matters) rather than by named lists only. */
  drawn: boolean;
  separateVisits: number;
  formLines: number;
}

export interface MatchResult {
  proposals: ProposedVisit[];
  /** Each class item's exact population and drawn sample size. */
  samples: { itemId: string; agencyCode: string; population: number; size: number }[];
  /** Class items stated only in words (未匹配): no population, so no overlap can be found. */
  unmatchedItems: string[];
  /** On-site visits the items would make: one per (unit, enterprise) reached. */
  visitsBefore: number;
  /** After matching: one per proposal, plus every unit's visit not in a proposal. */
  visitsAfter: number;
  /** Per reached enterprise: [visits before, visits after]; for the distribution (p50/p99/max). */
  perEnterprise: Map<string, [number, number]>;
}

interface Reach {
  districtCode: string;
  /** agency → { item ids, matters, drawn } */
  by: Map<string, { items: Set<string>; matters: Set<string>; drawn: boolean }>;
}

const inTerritory = (territory: string | null | undefined, e: ClassMember) => !territory || e.districtCode === territory;

export async function matchPeriod(input: MatchInput, enterprises: () => Iterable<MatchEnterprise> | AsyncIterable<MatchEnterprise>): Promise<MatchResult> {
  const onsite = input.items.filter((i) => i.method === 'onsite');
  const classItems = onsite.filter((i) => i.targetKind === 'class' && hasAxis(i.classFilter));
  const unmatchedItems = onsite.filter((i) => i.targetKind === 'class' && !hasAxis(i.classFilter)).map((i) => i.itemId);
  const named = new Map<string, MatchItem[]>();
  for (const i of onsite) if (i.targetKind === 'named') for (const code of i.targetEnterprises) named.set(code, [...(named.get(code) ?? []), i]);

  // Pass 1: each class item's exact population (its sample size follows from it).
  const population = new Map<string, number>();
  for await (const e of enterprises()) {
    for (const i of classItems) if (inTerritory(input.territories[i.agencyCode], e) && inClass(i.classFilter!, e)) population.set(i.itemId, (population.get(i.itemId) ?? 0) + 1);
  }
  const heaps = new Map<string, LowestK>();
  const samples: MatchResult['samples'] = [];
  for (const i of classItems) {
    const pop = population.get(i.itemId) ?? 0;
    const size = pop === 0 ? 0 : Math.min(pop, sampleSize(Number(i.samplingRatio ?? 0), pop));
    heaps.set(i.itemId, new LowestK(size));
    samples.push({ itemId: i.itemId, agencyCode: i.agencyCode, population: pop, size });
  }

  // Pass 2: the shared draw, and the districts of named targets.
  const districtOf = new Map<string, string>();
  for await (const e of enterprises()) {
    if (named.has(e.creditCode)) districtOf.set(e.creditCode, e.districtCode);
    let rank: number | undefined;
    for (const i of classItems) {
      if (!inTerritory(input.territories[i.agencyCode], e) || !inClass(i.classFilter!, e)) continue;
      rank ??= drawRank(input.seed, e.creditCode);
      heaps.get(i.itemId)!.offer(rank, e.creditCode);
    }
  }

  const reach = new Map<string, Reach>();
  const touch = (code: string, districtCode: string, i: MatchItem, drawn: boolean) => {
    const r = reach.get(code) ?? { districtCode, by: new Map() };
    reach.set(code, r);
    const a = r.by.get(i.agencyCode) ?? { items: new Set<string>(), matters: new Set<string>(), drawn: false };
    r.by.set(i.agencyCode, a);
    a.items.add(i.itemId);
    a.matters.add(i.matterCode);
    a.drawn ||= drawn;
  };
  for (const [code, items] of named) {
    const d = districtOf.get(code);
    if (d !== undefined) for (const i of items) touch(code, d, i, false);
  }
  const sampled = new Map<string, Set<string>>();
  for (const i of classItems) sampled.set(i.itemId, heaps.get(i.itemId)!.codes());
  // A third, cheap pass only to learn the districts of drawn enterprises not already known.
  const need = new Set<string>();
  for (const s of sampled.values()) for (const c of s) if (!districtOf.has(c)) need.add(c);
  if (need.size) for await (const e of enterprises()) if (need.has(e.creditCode)) districtOf.set(e.creditCode, e.districtCode);
  for (const i of classItems) for (const code of sampled.get(i.itemId)!) touch(code, districtOf.get(code)!, i, true);

  const load = new Map<string, number>();
  const proposals: ProposedVisit[] = [];
  const perEnterprise = new Map<string, [number, number]>();
  let visitsBefore = 0;
  let visitsAfter = 0;
  for (const code of [...reach.keys()].sort()) {
    const r = reach.get(code)!;
    const remaining = new Set(r.by.keys());
    const before = remaining.size;
    let after = 0;
    for (;;) {
      let best: { m: MatchEntry; units: ProposedUnit[] } | null = null;
      for (const m of input.entries) {
        if (m.districtCode && m.districtCode !== r.districtCode) continue;
        const units: ProposedUnit[] = [];
        for (const u of m.entry.units) {
          const a = r.by.get(u.agencyCode);
          if (!a || !remaining.has(u.agencyCode)) continue;
          const matterCodes = u.matterCodes.filter((mc) => a.matters.has(mc));
          if (matterCodes.length) units.push({ agencyCode: u.agencyCode, role: u.role, matterCodes, planItemIds: [...a.items].sort() });
        }
        if (units.length < 2 || !units.some((u) => u.role === 'lead')) continue;
        if (!best || units.length > best.units.length) best = { m, units };
      }
      if (!best) break;
      for (const u of best.units) remaining.delete(u.agencyCode);
      const day = input.days.find((d) => best!.units.every((u) => (load.get(`${u.agencyCode}|${d}`) ?? 0) < input.perUnitPerDay)) ?? null;
      if (day) for (const u of best.units) load.set(`${u.agencyCode}|${day}`, (load.get(`${u.agencyCode}|${day}`) ?? 0) + 1);
      proposals.push({
        enterpriseCode: code,
        districtCode: r.districtCode,
        listId: best.m.listId,
        listVersion: best.m.listVersion,
        entryCode: best.m.entry.code,
        leadAgencyCode: best.units.find((u) => u.role === 'lead')!.agencyCode,
        units: best.units,
        day,
        drawn: best.units.some((u) => r.by.get(u.agencyCode)!.drawn),
        separateVisits: best.units.length,
        formLines: mergeChecklist(best.m.entry.items, best.units).length,
      });
      after += 1;
    }
    after += remaining.size;
    visitsBefore += before;
    visitsAfter += after;
    perEnterprise.set(code, [before, after]);
  }
  return { proposals, samples, unmatchedItems, visitsBefore, visitsAfter, perEnterprise };
}

/** p50, p99 and max of a list of counts (nearest-rank percentiles). */
export function distribution(counts: readonly number[]): { p50: number; p99: number; max: number; n: number } {
  if (counts.length === 0) return { p50: 0, p99: 0, max: 0, n: 0 };
  const s = [...counts].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  return { p50: at(0.5), p99: at(0.99), max: s[s.length - 1]!, n: s.length };
}
