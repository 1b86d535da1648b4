import { and, isNull, ne, type SQL } from 'drizzle-orm';
import { inspections } from '../db/schema/index.js';
import { SCOPE_NAMES_ZH } from '../registry/entity-scope.js';
import { ruleResult, type RuleResult } from '../rules/result.js';

type Scoped = { excludedRelation: string | null; entityScope: string };

const RELATION_ZH: Record<string, string> = {
  subordinate_unit: '基于隶属关系对所属单位进行的检查',
  soe_supervision: '基于国有资产监督管理关系对所监管企业进行的检查',
};

/**
 * Whether the Order governs an inspection at all. Art. 2 ¶2 takes out checks of subordinate units and
 * SOE-supervision checks; Art. 4 ¶2 takes out 事业单位、社会团体、基金会、社会服务机构. Such an inspection is
 * recorded as outside the Order (the classification result says why) and none of the Order's guards,
 * codes, caps or statistics apply to it. Art. 42 entities (by reference) stay under the Order's rules.
 * Returns the classification result when the inspection is outside the Order, null when it is under it.
 */
export function outsideOrder(i: Scoped): RuleResult | null {
  if (i.excludedRelation) {
    return ruleResult('SCOPE_EXCLUDED_RELATION', false, i.excludedRelation, 'not a subordinate-unit or SOE-supervision check', `${RELATION_ZH[i.excludedRelation] ?? i.excludedRelation}，不适用本办法（第二条第二款）`);
  }
  if (i.entityScope === 'out_of_scope') {
    return ruleResult('SCOPE_ENTITY', false, i.entityScope, 'in_scope or by_reference', `检查对象的主体类型${SCOPE_NAMES_ZH.out_of_scope}本办法，不属于本办法所称企业（第四条第二款）`);
  }
  return null;
}

/** The same test in SQL, for the caps and the statistics: only inspections under the Order count. */
export function underOrderSql(): SQL {
  return and(isNull(inspections.excludedRelation), ne(inspections.entityScope, 'out_of_scope'))!;
}

/** The refusal of a code for an inspection outside the Order (no code is issued under it). */
export function noCodeOutsideOrder(outside: RuleResult): RuleResult {
  return ruleResult('SCOPE_NO_CODE', false, { rule: outside.rule, observed: outside.observed }, 'an inspection under the Order', `${outside.detail ?? ''}；不依本办法获取检查码`);
}
