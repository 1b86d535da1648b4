import { and, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { PlanClassFilter } from '../db/schema/plans.js';
import { enterprises } from '../db/schema/registry.js';

/**
 * A plan item's class (检查对象类别, Art. 13) as a population: a filter over the registry's industry
 * (GB/T 4754), licences, risk class and district. One definition serves three readers — the sampling
 * ratio's population (coverage), the matcher's class draws, and the Chinese rendering shown with the item —
 * so the number a ratio is judged against is the set the matcher draws from.
 */
export type ClassFilter = PlanClassFilter;

/** Licence kinds the registry records, with their names (unknown kinds are shown by a neutral phrase). */
export const LICENCE_KIND_ZH: Record<string, string> = {
  food_business: '食品经营许可证',
  food_production: '食品生产许可证',
  public_health: '公共场所卫生许可证',
  hazardous_chemicals: '危险化学品经营许可证',
  drug_retail: '药品经营许可证',
  fire_safety: '公众聚集场所投入使用、营业前消防安全检查合格证',
  special_equipment: '特种设备使用登记证',
};

const RISK_ZH: Record<string, string> = { A: '甲', B: '乙', C: '丙', D: '丁' };

export const hasAxis = (f: ClassFilter | null | undefined): f is ClassFilter =>
  Boolean(f && ((f.industryPrefixes?.length ?? 0) + (f.licenceKinds?.length ?? 0) + (f.riskClasses?.length ?? 0) + (f.districtCodes?.length ?? 0) > 0));

/** The class in Chinese; a free-text class without a filter is marked 未匹配. */
export function classZh(targetClass: string | null, filter: ClassFilter | null | undefined, districtName: (code: string) => string = (c) => c): string {
  if (!hasAxis(filter)) return `${targetClass?.trim() || '未载明类别'}（未匹配）`;
  const parts: string[] = [];
  if (filter.industryPrefixes?.length) parts.push(`行业分类代码以 ${filter.industryPrefixes.join('、')} 开头`);
  if (filter.licenceKinds?.length) parts.push(`持有${filter.licenceKinds.map((k) => LICENCE_KIND_ZH[k] ?? '其他许可证').join('或')}`);
  if (filter.riskClasses?.length) parts.push(`风险等级为${filter.riskClasses.map((r) => RISK_ZH[r] ?? r).join('、')}类`);
  if (filter.districtCodes?.length) parts.push(`位于${filter.districtCodes.map(districtName).join('、')}`);
  return `${targetClass?.trim() ? `${targetClass.trim()}：` : ''}${parts.join('，')}的企业`;
}

/** An enterprise row as the filter reads it. */
export interface ClassMember {
  industryCode: string | null;
  licenceKinds: readonly string[];
  riskClass: string | null;
  districtCode: string;
}

/** Pure: does the enterprise belong to the class (every stated axis holds)? */
export function inClass(f: ClassFilter, e: ClassMember): boolean {
  if (f.industryPrefixes?.length && !f.industryPrefixes.some((p) => (e.industryCode ?? '').startsWith(p))) return false;
  if (f.licenceKinds?.length && !f.licenceKinds.some((k) => e.licenceKinds.includes(k))) return false;
  if (f.riskClasses?.length && !(e.riskClass && (f.riskClasses as string[]).includes(e.riskClass))) return false;
  if (f.districtCodes?.length && !f.districtCodes.includes(e.districtCode)) return false;
  return true;
}

/** The same test as SQL over `enterprises`, in scope (Art. 2, 4) — the population's WHERE. */
export function classWhere(f: ClassFilter): SQL {
  const conds: (SQL | undefined)[] = [ne(enterprises.scope, 'out_of_scope')];
  if (f.industryPrefixes?.length) conds.push(or(...f.industryPrefixes.map((p) => sql`${enterprises.industryCode} LIKE ${`${p.replace(/[%_\\]/g, '')}%`}`)));
  if (f.licenceKinds?.length) conds.push(or(...f.licenceKinds.map((k) => sql`${k} = ANY(${enterprises.licenceKinds})`)));
  if (f.riskClasses?.length) conds.push(inArray(enterprises.riskClass, f.riskClasses));
  if (f.districtCodes?.length) conds.push(inArray(enterprises.districtCode, f.districtCodes));
  return and(...conds)!;
}
