import type { EntityType } from '../src/registry/entity-scope.js';
import { scopeOf } from '../src/registry/entity-scope.js';
import { makeCreditCode } from './credit-codes.js';
import { adminCodeOf, WUHAN_DISTRICTS } from './wuhan-districts.js';

/** A deterministic pseudo-random generator (mulberry32), so the demo data is the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BRANDS = ['长江', '江城', '楚天', '晴川', '黄鹤', '东湖', '汉江', '光谷', '知音', '珞珈', '龟山', '南岸', '汉正', '鹦鹉', '沙湖', '月湖', '荆楚', '九省', '金银湖', '汤逊湖'];
const TRADES = [
  // industry: 国民经济行业分类 (GB/T 4754-2017) of the trade word; licences: what such a business holds.
  { word: '食品', kind: 'food', industry: 'F5122', licences: ['food_business'] },
  { word: '餐饮管理', kind: 'food', industry: 'H6210', licences: ['food_business', 'public_health'] },
  { word: '化工', kind: 'chem', industry: 'C2614', licences: ['hazardous_chemicals'] },
  { word: '机械制造', kind: 'mfg', industry: 'C3431', licences: ['special_equipment'] },
  { word: '物流', kind: 'transport', industry: 'G5430', licences: [] },
  { word: '医药', kind: 'drug', industry: 'F5251', licences: ['drug_retail'] },
  { word: '建材', kind: 'mfg', industry: 'C3021', licences: [] },
  { word: '电子科技', kind: 'mfg', industry: 'C3971', licences: [] },
  { word: '汽车零部件', kind: 'mfg', industry: 'C3670', licences: ['special_equipment'] },
  { word: '商贸', kind: 'trade', industry: 'F5191', licences: [] },
];
const STREETS = ['解放大道', '中山大道', '武珞路', '珞喻路', '汉阳大道', '建设大道', '和平大道', '关山大道', '雄楚大道', '金银潭大道', '黄浦大街', '民族大道'];

const TYPE_WEIGHTS: [EntityType, number][] = [
  ['limited_company', 55],
  ['joint_stock_company', 5],
  ['sole_proprietorship', 5],
  ['partnership_enterprise', 3],
  ['individual_business', 20],
  ['farmers_cooperative', 4],
  ['public_institution', 3],
  ['social_organization', 2],
  ['foundation', 1],
  ['social_service_organization', 2],
];
const RISK: ['A' | 'B' | 'C' | 'D', number][] = [['A', 30], ['B', 40], ['C', 20], ['D', 10]];

function pick<T>(rnd: () => number, weighted: [T, number][]): T {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let r = rnd() * total;
  for (const [v, w] of weighted) if ((r -= w) < 0) return v;
  return weighted[weighted.length - 1]![0];
}

function nameFor(type: EntityType, brand: string, trade: string, district: string, i: number): string {
  switch (type) {
    case 'joint_stock_company': return `武汉${brand}${trade}股份有限公司`;
    case 'sole_proprietorship': return `武汉市${district}${brand}${trade}经营部`;
    case 'partnership_enterprise': return `武汉${brand}${trade}合伙企业（有限合伙）`;
    case 'individual_business': return `${district}${brand}${['小吃店', '便利店', '五金店', '汽修店', '理发店'][i % 5]}`;
    case 'individual_partnership': return `${district}${brand}合伙经营部`;
    case 'farmers_cooperative': return `武汉市${district}${brand}${['蔬菜', '水产', '茶叶'][i % 3]}专业合作社`;
    case 'public_institution': return `武汉市${district}${['检验检测中心', '职业技术学校', '社区卫生服务中心'][i % 3]}`;
    case 'social_organization': return `武汉市${trade}行业协会`;
    case 'foundation': return `武汉${brand}公益基金会`;
    case 'social_service_organization': return `武汉市${district}${brand}养老服务中心`;
    default: return `武汉${brand}${trade}有限公司`;
  }
}

export interface EnterpriseSeed {
  creditCode: string;
  name: string;
  districtCode: string;
  address: string;
  entityType: EntityType;
  scope: 'in_scope' | 'by_reference' | 'out_of_scope';
  riskClass: 'A' | 'B' | 'C' | 'D' | null;
  /** GB/T 4754 industry code and licences held, from the trade word (no draw: other demo values stay as they were). */
  industryCode: string;
  licenceKinds: string[];
  /** Demo premises (WGS-84), near the district's centre, for the scan's distance check (亮码即定位). */
  latitude: number;
  longitude: number;
}

/** Approximate centres of Wuhan's districts and zones (WGS-84), for demo premises only. */
const DISTRICT_CENTRES: Record<string, [number, number]> = {
  '420102': [30.6, 114.31], '420103': [30.6, 114.27], '420104': [30.58, 114.21], '420105': [30.55, 114.22],
  '420106': [30.55, 114.32], '420107': [30.63, 114.39], '420111': [30.5, 114.34], '420112': [30.62, 114.14],
  '420113': [30.31, 114.08], '420114': [30.58, 114.03], '420115': [30.38, 114.32], '420116': [30.88, 114.38],
  '420117': [30.84, 114.8], DHGX: [30.48, 114.41], WHKF: [30.5, 114.16], CJXQ: [30.7, 114.45], DHFJ: [30.56, 114.4],
};

export function demoEnterprises(count: number, seed = 327): EnterpriseSeed[] {
  const rnd = prng(seed);
  const out: EnterpriseSeed[] = [];
  const names = new Set<string>();
  for (let i = 0; out.length < count; i++) {
    const district = WUHAN_DISTRICTS[Math.floor(rnd() * WUHAN_DISTRICTS.length)]!;
    const type = pick(rnd, TYPE_WEIGHTS);
    const brand = BRANDS[Math.floor(rnd() * BRANDS.length)]!;
    const tradeRow = TRADES[Math.floor(rnd() * TRADES.length)]!;
    const trade = tradeRow.word;
    const name = nameFor(type, brand, trade, district.name.replace(/区$/, ''), i);
    if (names.has(name)) continue;
    names.add(name);
    const street = STREETS[Math.floor(rnd() * STREETS.length)]!;
    out.push({
      creditCode: makeCreditCode(type, adminCodeOf(district.code), i + 1),
      name,
      districtCode: district.code,
      address: `湖北省武汉市${district.name}${street}${1 + Math.floor(rnd() * 999)}号`,
      entityType: type,
      scope: scopeOf(type),
      riskClass: scopeOf(type) === 'out_of_scope' ? null : pick(rnd, RISK),
      industryCode: tradeRow.industry,
      licenceKinds: tradeRow.licences,
      ...demoPremises(district.code, seed, out.length),
    });
  }
  return out;
}

/**
 * Premises within about 2 km of the district's centre. Drawn from a stream of their own, so adding them left
 * every other demo value (names, codes, classes) as it was.
 */
function demoPremises(districtCode: string, seed: number, i: number): { latitude: number; longitude: number } {
  const [lat, lon] = DISTRICT_CENTRES[districtCode] ?? [30.59, 114.3];
  const r = prng(seed * 7919 + i + 1);
  const round = (v: number) => Math.round(v * 1e5) / 1e5;
  return { latitude: round(lat + (r() - 0.5) * 0.04), longitude: round(lon + (r() - 0.5) * 0.04) };
}
