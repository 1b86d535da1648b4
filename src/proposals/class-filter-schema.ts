import { Type } from 'typebox';

/** The request shape of a plan item's class filter (PlanClassFilter); each axis optional, every stated axis must hold. */
export const ClassFilterBody = Type.Object(
  {
    industryPrefixes: Type.Optional(Type.Array(Type.String({ pattern: '^[A-T][0-9]{0,4}$' }), { maxItems: 50, description: '国民经济行业分类（GB/T 4754）代码前缀 / industry code prefixes, e.g. H62' })),
    licenceKinds: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z_]{1,64}$' }), { maxItems: 20, description: '持有的许可证种类（任一）/ licence kinds held (any of)' })),
    riskClasses: Type.Optional(Type.Array(Type.Union(['A', 'B', 'C', 'D'].map((r) => Type.Literal(r))), { maxItems: 4, description: '风险等级 / risk classes' })),
    districtCodes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { maxItems: 30, description: '所在区 / districts' })),
  },
  { additionalProperties: false, description: '检查对象类别的筛选条件 / the class as a registry filter' },
);
