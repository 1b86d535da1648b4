import { prng } from '../../seeds/demo-enterprises.js';
import { MATTER_CATALOG } from '../../seeds/matter-catalog.js';
import { WUHAN_DISTRICTS } from '../../seeds/wuhan-districts.js';
import { BUREAUS } from '../../seeds/wuhan-agencies.js';

/**
 * The replay's synthetic Wuhan, as numbers: who is inspected by whom, how often. Every value here is a
 * modelling assumption of this benchmark (stated in docs/BENCHMARKS.md), not a figure of the Order or of
 * Wuhan's statistics; the registry itself (districts, bureaus, matters, caps) is the project's seed.
 */
export const FULL_SCALE_ENTERPRISES = 600_000;
export const YEAR = 2026;

/** Industry mix and, for each industry, the bureau matters that inspect it on site (行业 → 检查事项). */
export const INDUSTRIES: { key: string; word: string; share: number; matters: string[] }[] = [
  { key: 'food', word: '食品', share: 22, matters: ['SCJG-001', 'WSJK-001', 'CGZF-001', 'XFJY-001'] },
  { key: 'trade', word: '商贸', share: 28, matters: ['SCJG-003', 'CGZF-001', 'XFJY-001'] },
  { key: 'mfg', word: '机械制造', share: 18, matters: ['SCJG-002', 'SCJG-003', 'YJGL-001', 'STHJ-002', 'WSJK-002', 'XFJY-001'] },
  { key: 'services', word: '生活服务', share: 14, matters: ['WSJK-001', 'CGZF-001', 'XFJY-001'] },
  { key: 'transport', word: '物流', share: 8, matters: ['JTYS-001', 'YJGL-001', 'XFJY-001'] },
  { key: 'chem', word: '化工', share: 5, matters: ['STHJ-003', 'YJGL-002', 'XFJY-001'] },
  { key: 'drug', word: '医药', share: 5, matters: ['SCJG-005', 'XFJY-001'] },
];

/** Risk classes (A lowest risk) and the yearly chance that one bureau matter selects such an enterprise (双随机, graded). */
export const RISK_CLASSES: { cls: 'A' | 'B' | 'C' | 'D'; share: number; yearlyRate: number }[] = [
  { cls: 'A', share: 30, yearlyRate: 0.03 },
  { cls: 'B', share: 40, yearlyRate: 0.07 },
  { cls: 'C', share: 20, yearlyRate: 0.15 },
  { cls: 'D', share: 10, yearlyRate: 0.3 },
];

/** Where enterprises are registered: weights by district and development zone (roughly by market entities). */
export const DISTRICT_WEIGHTS: Record<string, number> = {
  '420102': 8, '420103': 8, '420104': 5, '420105': 6, '420106': 9, '420107': 4, '420111': 10, '420112': 6, '420113': 2,
  '420114': 4, '420115': 6, '420116': 6, '420117': 4, DHGX: 10, WHKF: 6, CJXQ: 2, DHFJ: 1,
};

/** Share of a matter's visits made by the city bureau rather than the district one. */
export const CITY_SHARE = 0.1;
/** Monthly weight of the visit calendar (plans are filed in March; agencies finish their plans in Nov–Dec). */
export const MONTH_WEIGHT = [0, 0, 0.3, 1, 1, 1, 0.9, 0.9, 1, 0.9, 1.2, 1.3];

export const matterInfo = new Map(Object.values(MATTER_CATALOG).flat().map((m) => [m.matterCode, m]));
export const bureauOf = (matterCode: string) => matterCode.split('-')[0]!;

/** The agency that carries a visit: the district counterpart where it exists, else the city bureau. */
export function agencyFor(bureau: string, district: string, toCity: boolean): string {
  const b = BUREAUS.find((x) => x.key === bureau)!;
  const zone = WUHAN_DISTRICTS.find((d) => d.code === district)!.kind === 'functional';
  if (toCity || (zone && !b.inZones)) return `WH-${bureau}`;
  return `${district}-${bureau}`;
}

export function weighted<T>(rnd: () => number, items: readonly T[], weight: (t: T) => number): T {
  const total = items.reduce((s, t) => s + weight(t), 0);
  let r = rnd() * total;
  for (const t of items) if ((r -= weight(t)) < 0) return t;
  return items[items.length - 1]!;
}

/** Poisson draw (Knuth; the means here are below 1). */
export function poisson(rnd: () => number, mean: number): number {
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rnd();
  } while (p > l);
  return k - 1;
}

export { prng };
