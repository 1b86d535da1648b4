/**
 * Whether the regulation applies to an entity, from its type (Art. 4, 42; rule SCOPE_ENTITY):
 * enterprises are in scope, individual businesses, individual partnerships and farmers' co-operatives
 * by reference (参照执行), public institutions and social organisations are out of scope.
 */
export const ENTITY_TYPES = {
  limited_company: { zh: '有限责任公司', scope: 'in_scope' },
  joint_stock_company: { zh: '股份有限公司', scope: 'in_scope' },
  sole_proprietorship: { zh: '个人独资企业', scope: 'in_scope' },
  partnership_enterprise: { zh: '合伙企业', scope: 'in_scope' },
  other_enterprise: { zh: '其他企业', scope: 'in_scope' },
  individual_business: { zh: '个体工商户', scope: 'by_reference' },
  individual_partnership: { zh: '个人合伙', scope: 'by_reference' },
  farmers_cooperative: { zh: '农民专业合作社', scope: 'by_reference' },
  public_institution: { zh: '事业单位', scope: 'out_of_scope' },
  social_organization: { zh: '社会团体', scope: 'out_of_scope' },
  foundation: { zh: '基金会', scope: 'out_of_scope' },
  social_service_organization: { zh: '社会服务机构', scope: 'out_of_scope' },
} as const;

export type EntityType = keyof typeof ENTITY_TYPES;
export type EntityScope = (typeof ENTITY_TYPES)[EntityType]['scope'];

export const ENTITY_TYPE_KEYS = Object.keys(ENTITY_TYPES) as EntityType[];

export function scopeOf(type: EntityType): EntityScope {
  return ENTITY_TYPES[type].scope;
}

export const SCOPE_NAMES_ZH: Record<EntityScope, string> = {
  in_scope: '适用',
  by_reference: '参照执行',
  out_of_scope: '不适用',
};

/**
 * What the credit code itself says about the entity (GB 32100-2015): the 1st character is the registration
 * authority (1 机构编制, 5 民政, 9 工商…), the 2nd the entity category within it (for 9: 1 企业, 2 个体工商户,
 * 3 农民专业合作社; for 1: 2 事业单位, 3 群众团体; for 5: 1 社会团体, 2 民办非企业单位即社会服务机构, 3 基金会).
 * A declared entity type must be one the code's first two characters allow, or the scope (Art. 4, 42) would
 * rest on a claim the code contradicts. 个人合伙 has no category of its own: one with a business licence
 * is registered by 工商 as an individual business, so it takes 92.
 */
const CODE_PREFIXES: Record<EntityType, readonly string[]> = {
  limited_company: ['91'],
  joint_stock_company: ['91'],
  sole_proprietorship: ['91'],
  partnership_enterprise: ['91'],
  other_enterprise: ['91'],
  individual_business: ['92'],
  individual_partnership: ['92'],
  farmers_cooperative: ['93'],
  public_institution: ['12'],
  social_organization: ['51', '13'],
  foundation: ['53'],
  social_service_organization: ['52'],
};

/** Null when the code allows the type; otherwise the contradiction in zh-CN (for a 400 naming the field). */
export function entityTypeContradiction(type: EntityType, creditCode: string): string | null {
  const prefix = creditCode.slice(0, 2);
  const allowed = CODE_PREFIXES[type];
  if (allowed.includes(prefix)) return null;
  const fits = ENTITY_TYPE_KEYS.filter((k) => CODE_PREFIXES[k].includes(prefix)).map((k) => ENTITY_TYPES[k].zh);
  return `统一社会信用代码前两位为“${prefix}”（登记管理部门和机构类别），与主体类型“${ENTITY_TYPES[type].zh}”不符${fits.length ? `；该代码对应的主体类型为${fits.join('、')}` : '；该代码不属于本系统登记的主体类型'}`;
}
