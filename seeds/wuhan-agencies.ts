import { WUHAN_DISTRICTS } from './wuhan-districts.js';

/**
 * Wuhan's city bureaus that inspect enterprises, the city justice bureau, and their district
 * counterparts. Codes: WH-<bureau> for the city, <district>-<bureau> for a district.
 */
export interface AgencySeed {
  code: string;
  name: string;
  kind: 'organ' | 'authorised' | 'entrusted';
  level: 'city' | 'district';
  districtCode: string | null;
  parentCode: string | null;
  isJusticeBureau: boolean;
  /** 实行垂直管理 (Art. 13 ¶2): its special plans are approved by its upper authority. */
  verticallyManaged: boolean;
  domains: string[];
}

interface Bureau {
  key: string;
  city: string;
  district: (districtName: string) => string;
  kind: AgencySeed['kind'];
  domains: string[];
  justice?: boolean;
  /** District counterparts exist in the administrative districts (and the functional zones where true). */
  inZones?: boolean;
  /**
   * 实行垂直管理: 'all' levels (the fire and rescue service is led from the national level down), or the
   * 'district' branches only (environmental branches are led by the city bureau since the vertical reform of
   * monitoring and enforcement below the province, 省以下生态环境机构监测监察执法垂直管理).
   */
  vertical?: 'all' | 'district';
}

export const BUREAUS: Bureau[] = [
  { key: 'SCJG', city: '武汉市市场监督管理局', district: (d) => `武汉市${d}市场监督管理局`, kind: 'organ', domains: ['market', 'food', 'drug', 'product_quality', 'special_equipment'], inZones: true },
  { key: 'STHJ', city: '武汉市生态环境局', district: (d) => `武汉市生态环境局${d}分局`, kind: 'organ', domains: ['environment'], vertical: 'district' },
  { key: 'YJGL', city: '武汉市应急管理局', district: (d) => `武汉市${d}应急管理局`, kind: 'organ', domains: ['work_safety', 'hazardous_chemicals'] },
  { key: 'CGZF', city: '武汉市城市管理执法委员会', district: (d) => `武汉市${d}城市管理执法局`, kind: 'organ', domains: ['urban_management'] },
  { key: 'WSJK', city: '武汉市卫生健康委员会', district: (d) => `武汉市${d}卫生健康局`, kind: 'organ', domains: ['health', 'occupational_health'] },
  { key: 'JTYS', city: '武汉市交通运输局', district: (d) => `武汉市${d}交通运输局`, kind: 'organ', domains: ['transport'] },
  { key: 'SWJ', city: '武汉市商务局', district: (d) => `武汉市${d}商务局`, kind: 'organ', domains: ['commerce'] },
  { key: 'XFJY', city: '武汉市消防救援支队', district: (d) => `武汉市${d}消防救援大队`, kind: 'authorised', domains: ['fire_safety'], vertical: 'all' },
  { key: 'SFJ', city: '武汉市司法局', district: (d) => `武汉市${d}司法局`, kind: 'organ', domains: [], justice: true, inZones: true },
];

export function wuhanAgencies(): AgencySeed[] {
  const out: AgencySeed[] = [];
  for (const b of BUREAUS) {
    const cityCode = `WH-${b.key}`;
    out.push({ code: cityCode, name: b.city, kind: b.kind, level: 'city', districtCode: null, parentCode: null, isJusticeBureau: Boolean(b.justice), verticallyManaged: b.vertical === 'all', domains: b.domains });
    for (const d of WUHAN_DISTRICTS) {
      if (d.kind === 'functional' && !b.inZones) continue;
      out.push({
        code: `${d.code}-${b.key}`,
        name: b.district(d.name),
        kind: b.kind,
        level: 'district',
        districtCode: d.code,
        parentCode: cityCode,
        isJusticeBureau: Boolean(b.justice),
        verticallyManaged: b.vertical !== undefined,
        domains: b.domains,
      });
    }
  }
  return out;
}
