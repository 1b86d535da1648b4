import { SCOPE_NAMES_ZH } from '../registry/entity-scope.js';
import { ruleResult, type RuleResult } from './result.js';

/**
 * Scope (Art. 2, 4, 42, 43): whether and from when the Order governs an inspection. Each check is named by
 * its rule id and returns the rule's result over plain facts.
 */
export const REGULATION_EFFECTIVE = '2025-12-01';

/** Art. 43: the Order governs inspections from 2025-12-01 (a Beijing date: the inspection's, or the visit's an enterprise reports). */
export function SCOPE_EFFECTIVE_DATE(f: { date: string }): RuleResult {
  return ruleResult('SCOPE_EFFECTIVE_DATE', f.date >= REGULATION_EFFECTIVE, f.date, REGULATION_EFFECTIVE, `本办法自2025年12月1日起施行，检查日期${f.date}早于施行日期，不在本办法范围内`);
}

const RELATION_ZH: Record<string, string> = {
  subordinate_unit: '基于隶属关系对所属单位进行的检查',
  soe_supervision: '基于国有资产监督管理关系对所监管企业进行的检查',
};

/** Art. 2 ¶2: checks of subordinate units and SOE-supervision checks are outside the Order (classification). */
export function SCOPE_EXCLUDED_RELATION(excludedRelation: string | null): RuleResult {
  const detail = excludedRelation ? `${RELATION_ZH[excludedRelation] ?? excludedRelation}，不适用本办法（第二条第二款）` : undefined;
  return ruleResult('SCOPE_EXCLUDED_RELATION', !excludedRelation, excludedRelation, 'not a subordinate-unit or SOE-supervision check', detail);
}

/** Art. 4 ¶2, 42: 事业单位、社会团体、基金会、社会服务机构 are not 企业 under the Order; Art. 42 entities are by reference. */
export function SCOPE_ENTITY(entityScope: string): RuleResult {
  const out = entityScope === 'out_of_scope';
  return ruleResult('SCOPE_ENTITY', !out, entityScope, 'in_scope or by_reference', out ? `检查对象的主体类型${SCOPE_NAMES_ZH.out_of_scope}本办法，不属于本办法所称企业（第四条第二款）` : undefined);
}

/** The refusal of a code for an inspection outside the Order (no code is issued under it). */
export function SCOPE_NO_CODE(outside: RuleResult): RuleResult {
  return ruleResult('SCOPE_NO_CODE', false, { rule: outside.rule, observed: outside.observed }, 'an inspection under the Order', `${outside.detail ?? ''}；不依本办法获取检查码`);
}
