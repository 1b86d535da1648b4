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
