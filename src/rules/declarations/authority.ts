import { a, defineRule } from '../define.js';
import { DRAFT, ISSUE, REJECT_DECLARATION, REPORT, SUBMIT_PLAN } from './commands.js';
import { isOutOfArea } from '../../registry/territory.js';
import { ESCALATION_GROUND_KEYS, escalationGroundProblem } from '../escalation.js';
import type { GuardFacts } from '../guard-facts.js';
import { ruleResult, type RuleResult } from '../result.js';

/**
 * Agencies and matters (Art. 3, 7, 11, 12): a published matter, within the agency's authority, at the
 * lowest territorial level, inside its territory or by the assistance mechanism. Each check is named by its
 * rule id.
 */

export function MATTER_UNPUBLISHED(f: GuardFacts): RuleResult {
  const missing = f.matters.filter((m) => !m.published).map((m) => m.code);
  return ruleResult('MATTER_UNPUBLISHED', missing.length === 0, missing, 'published on the inspection date', `检查事项 ${missing.join('、')} 未在本单位${f.date}有效的行政检查事项清单中公布`);
}

export function AGENCY_OUT_OF_AUTHORITY(f: GuardFacts): RuleResult {
  const beyond = f.matters.filter((m) => m.published && !f.agency.domains.includes(m.published.domain));
  // observed keeps the identifiers (code and domain); the message names the matters as the list publishes them.
  const outside = beyond.map((m) => `${m.code}(${m.published!.domain})`);
  const named = beyond.map((m) => `“${m.published!.name}”`).join('、');
  return ruleResult('AGENCY_OUT_OF_AUTHORITY', outside.length === 0, outside, f.agency.domains, `检查事项${named}超出本单位法定职责范围`);
}

/** Art. 12, 40(9): an inspection outside the agency's territory needs the assistance arrangement on record. */
export function CROSS_REGION_NO_ASSISTANCE(f: GuardFacts): RuleResult {
  const outside = isOutOfArea(f.agency, f.enterprise);
  // Named as people name places: the division's registered name; a code only if the registry has no row for it.
  const where = (place: { districtCode: string | null; districtName: string | null; outsideWuhan: boolean }) => {
    const name = place.districtName ?? place.districtCode;
    return `${place.outsideWuhan ? '武汉市外' : '武汉市'}${name ? `（${name}）` : ''}`;
  };
  return ruleResult(
    'CROSS_REGION_NO_ASSISTANCE',
    !outside || Boolean(f.assistanceRef),
    { agencyDistrict: f.agency.districtCode, agencyOutsideWuhan: f.agency.outsideWuhan, enterpriseDistrict: f.enterprise.districtCode, enterpriseOutsideWuhan: f.enterprise.outsideWuhan },
    'same territory or an assistance arrangement',
    `企业位于${where(f.enterprise)}，不在本单位辖区${where(f.agency)}，异地检查须按异地协助机制实施并记录协助安排（第十二条）`,
  );
}

/** Art. 11: the lowest statutory level inspects, unless one of the article's escalation grounds is recorded. */
export function JURISDICTION_TERRITORIAL(f: GuardFacts): RuleResult {
  const escalated = f.agency.level === 'city' && f.lowerLevelCounterpart !== null;
  const problem = escalated ? escalationGroundProblem(f.escalationGround, f.escalationRef) : null;
  return ruleResult(
    'JURISDICTION_TERRITORIAL',
    problem === null,
    { agencyLevel: f.agency.level, lowerLevelCounterpart: f.lowerLevelCounterpart, escalationGround: f.escalationGround, escalationRef: f.escalationRef },
    { lowestLevel: f.lowerLevelCounterpart, grounds: ESCALATION_GROUND_KEYS },
    `检查事项${(f.lowerLevelMatters ?? []).join('、')}已列入${f.lowerLevelCounterpartName ?? f.lowerLevelCounterpart}当日有效的行政检查事项清单，原则上由该最低一级行政执法主体实施；${problem ?? ''}。上级实施须属于第十一条第二款第（一）项至第（三）项情形之一或者上级主管部门有规定`,
  );
}

// ---- Agencies and matters (Art. 3, 7, 11, 12): one declaration per rule ----

export const MatterUnpublished = defineRule({
  id: 'MATTER_UNPUBLISHED',
  articles: [a(7)],
  kind: 'guard',
  severity: 'high',
  titleZh: '检查事项未经公布，不得实施',
  titleEn: 'Inspection matter not on the published list',
  check: MATTER_UNPUBLISHED,
  raisers: { guardedBy: [DRAFT, ISSUE, SUBMIT_PLAN] },
});

export const AgencyOutOfAuthority = defineRule({
  id: 'AGENCY_OUT_OF_AUTHORITY',
  articles: [a(3)],
  kind: 'guard',
  severity: 'high',
  titleZh: '超出法定职责范围实施检查',
  titleEn: 'Matter outside the agency’s authority',
  check: AGENCY_OUT_OF_AUTHORITY,
  raisers: { guardedBy: [DRAFT, ISSUE] },
});

export const JurisdictionTerritorial = defineRule({
  id: 'JURISDICTION_TERRITORIAL',
  articles: [a(11)],
  kind: 'guard+detector',
  severity: 'medium',
  titleZh: '未按属地和最低层级原则实施检查，且未说明提级理由',
  titleEn: 'Not the lowest territorial level and no escalation ground',
  check: JURISDICTION_TERRITORIAL,
  raisers: { guardedBy: [DRAFT, ISSUE], raisedBy: [REJECT_DECLARATION] },
});

export const CrossRegionNoAssistance = defineRule({
  id: 'CROSS_REGION_NO_ASSISTANCE',
  articles: [a(12), a(40, 9)],
  kind: 'guard+detector',
  severity: 'high',
  titleZh: '异地检查未按异地协助机制实施',
  titleEn: 'Out-of-territory inspection without an assistance arrangement',
  check: CROSS_REGION_NO_ASSISTANCE,
  raisers: { guardedBy: [DRAFT, ISSUE], raisedBy: [REPORT, REJECT_DECLARATION] },
});
