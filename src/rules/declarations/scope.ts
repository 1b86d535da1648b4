import { a, defineRule } from '../define.js';
import { DRAFT, ISSUE, REJECT_DECLARATION, REPORT } from './commands.js';
import { SCOPE_NAMES_ZH } from '../../registry/entity-scope.js';
import { ruleResult, type RuleResult } from '../result.js';

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

/** What the registry holds about a declared Art. 2 ¶2 relation (src/declarations/excluded-relation.ts loads it). */
export interface RelationFacts {
  relation: 'soe_supervision' | 'subordinate_unit';
  agencyName: string;
  enterpriseName: string;
  /** The agency is registered as a state-asset supervision body (国有资产监督管理机构). */
  stateAssetSupervisor: boolean;
  /** The names of other agencies the registry holds this relation with for the enterprise. */
  heldByOthers: string[];
  /** The registry (or a supervisor's confirmation) holds the relation with this agency. */
  held: boolean;
}

/**
 * Art. 2 ¶2 read against the registry: only a state-asset supervision body performs SOE-supervision checks,
 * and an enterprise the registry places under another agency is not this one's. A contradicted relation is
 * refused; one the registry is silent on is recorded as a declared exemption by the caller.
 */
export function SCOPE_RELATION_CONTRADICTED(f: RelationFacts): RuleResult {
  const what = f.relation === 'soe_supervision' ? '所监管企业' : '所属单位';
  let detail: string | undefined;
  if (f.relation === 'soe_supervision' && !f.stateAssetSupervisor) {
    detail = `登记信息显示${f.agencyName}不是国有资产监督管理机构，不能以国有资产监督管理关系排除本办法的适用（第二条第二款）`;
  } else if (!f.held && f.heldByOthers.length > 0) {
    detail = `登记信息显示${f.enterpriseName}是${f.heldByOthers.join('、')}的${what}，不是${f.agencyName}的${what}（第二条第二款）`;
  }
  return ruleResult('SCOPE_RELATION_CONTRADICTED', detail === undefined, { relation: f.relation, stateAssetSupervisor: f.stateAssetSupervisor, heldByOthers: f.heldByOthers }, 'a relation the registry does not contradict', detail);
}

// ---- Scope (Art. 2, 4, 42, 43): one declaration per rule ----

export const ScopeEntity = defineRule({
  id: 'SCOPE_ENTITY',
  articles: [a(4), a(42)],
  kind: 'classification',
  severity: 'low',
  titleZh: '检查对象不属于本办法适用范围',
  titleEn: 'Entity outside the regulation’s scope',
  check: SCOPE_ENTITY,
  raisers: { recordedBy: [DRAFT, ISSUE] },
});

export const ScopeExcludedRelation = defineRule({
  id: 'SCOPE_EXCLUDED_RELATION',
  articles: [a(2)],
  kind: 'classification',
  severity: 'low',
  titleZh: '基于隶属或国资监管关系的检查不适用本办法',
  titleEn: 'Subordinate-unit or SOE supervision check is outside the regulation',
  check: SCOPE_EXCLUDED_RELATION,
  raisers: { recordedBy: [DRAFT, ISSUE] },
});

export const ScopeEffectiveDate = defineRule({
  id: 'SCOPE_EFFECTIVE_DATE',
  articles: [a(43)],
  kind: 'guard',
  severity: 'low',
  titleZh: '本办法自2025年12月1日起施行',
  titleEn: 'The regulation applies from 2025-12-01',
  check: SCOPE_EFFECTIVE_DATE,
  raisers: { guardedBy: [DRAFT, ISSUE, REPORT] },
});

export const ScopeNoCode = defineRule({
  id: 'SCOPE_NO_CODE',
  articles: [a(2), a(4)],
  kind: 'guard',
  severity: 'low',
  titleZh: '不适用本办法的检查不依本办法获取检查码',
  titleEn: 'No inspection code under the Order for an inspection outside it',
  check: SCOPE_NO_CODE,
  raisers: { guardedBy: [ISSUE] },
});

export const ScopeRelationContradicted = defineRule({
  id: 'SCOPE_RELATION_CONTRADICTED',
  articles: [a(2)],
  kind: 'guard',
  severity: 'high',
  titleZh: '所称隶属或国资监管关系与登记信息不符',
  titleEn: 'Declared subordinate-unit or SOE-supervision relation contradicted by the registry',
  check: SCOPE_RELATION_CONTRADICTED,
  raisers: { guardedBy: [DRAFT] },
});

export const ScopeRelationUnfounded = defineRule({
  id: 'SCOPE_RELATION_UNFOUNDED',
  articles: [a(2)],
  kind: 'detector',
  severity: 'high',
  titleZh: '所称隶属或国资监管关系经监督审核不予认可',
  titleEn: 'Declared subordinate-unit or SOE-supervision relation rejected by the supervisors',
  raisers: { raisedBy: [REJECT_DECLARATION] },
});
