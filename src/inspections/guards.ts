import type { Inspector } from '../db/schema/inspections.js';
import { ruleResult, type RuleResult } from '../rules/result.js';
import { isOutOfArea } from '../registry/territory.js';
import { ESCALATION_GROUND_KEYS, escalationGroundProblem } from './escalation.js';

/**
 * The guards checked before an inspection code is issued (Art. 3, 7, 9, 11, 12, 18, 32, 43), each a
 * pure function over facts the command loaded. Plan, special-plan and frequency results come from their
 * own modules and are appended by the caller.
 */
export interface MatterFact {
  code: string;
  /** The published version in force on the inspection date, if any (Art. 7). */
  published: { name: string; domain: string; offsiteCapable: boolean; legalBasis: string } | null;
}

export interface GuardFacts {
  kind: 'routine' | 'special' | 'case';
  mode: 'onsite' | 'offsite';
  date: string;
  /** districtName: the registry's name for districtCode, so messages name the place, not its code. */
  agency: { code: string; level: 'city' | 'district'; districtCode: string | null; districtName: string | null; domains: string[]; outsideWuhan: boolean };
  enterprise: { creditCode: string; districtCode: string; districtName: string | null; outsideWuhan: boolean };
  matters: MatterFact[];
  inspectors: Inspector[];
  teamExceptionBasis: string | null;
  assistanceRef: string | null;
  escalationGround: string | null;
  escalationRef: string | null;
  onsiteReason: string | null;
  leadKind: string | null;
  /** A district counterpart of this city agency exists in the enterprise's district (Art. 11). */
  lowerLevelCounterpart: string | null;
  /** Its name, for the message (Art. 11). */
  lowerLevelCounterpartName: string | null;
}

export const REGULATION_EFFECTIVE = '2025-12-01';
export const LEAD_KINDS = ['complaint', 'referral', 'assignment', 'platform_monitoring', 'enterprise_request', 'follow_up'] as const;

export function effectiveDateCheck(f: GuardFacts): RuleResult {
  return ruleResult('SCOPE_EFFECTIVE_DATE', f.date >= REGULATION_EFFECTIVE, f.date, REGULATION_EFFECTIVE, '本办法自2025年12月1日起施行，检查日期早于施行日期');
}

export function mattersPublishedCheck(f: GuardFacts): RuleResult {
  const missing = f.matters.filter((m) => !m.published).map((m) => m.code);
  return ruleResult('MATTER_UNPUBLISHED', missing.length === 0, missing, 'published on the inspection date', `检查事项 ${missing.join('、')} 未在本单位${f.date}有效的行政检查事项清单中公布`);
}

export function authorityCheck(f: GuardFacts): RuleResult {
  const outside = f.matters.filter((m) => m.published && !f.agency.domains.includes(m.published.domain)).map((m) => `${m.code}(${m.published!.domain})`);
  return ruleResult('AGENCY_OUT_OF_AUTHORITY', outside.length === 0, outside, f.agency.domains, `检查事项 ${outside.join('、')} 超出本单位法定职责范围`);
}

export function caseLeadCheck(f: GuardFacts): RuleResult {
  const ok = f.kind !== 'case' || (f.leadKind !== null && (LEAD_KINDS as readonly string[]).includes(f.leadKind));
  return ruleResult('CASE_WITHOUT_LEAD', ok, f.leadKind, LEAD_KINDS, '个案检查须载明线索来源：投诉举报、转办交办、平台监测或企业申请');
}

/**
 * Art. 18 governs 本办法第十七条规定的现场检查 — on-site routine and special inspections. A case inspection is
 * not one, and the Order sets it no team rule (its own laws do; docs/COMPLIANCE.md), so neither check
 * below applies to it.
 */
const isArticle17Visit = (f: GuardFacts) => f.mode === 'onsite' && f.kind !== 'case';
const isCertified = (i: { certificateNo: string }) => i.certificateNo.trim() !== '';

/**
 * Art. 18(1): 不得少于两人，法律另有规定的除外 — at least two certified inspectors. A recorded legal basis for
 * a smaller team relaxes the count to one; it never relaxes the certificate (INSPECTOR_UNCERTIFIED).
 */
export function teamSizeCheck(f: GuardFacts): RuleResult {
  const certified = f.inspectors.filter(isCertified).length;
  const minimum = f.teamExceptionBasis ? 1 : 2;
  const detail = f.teamExceptionBasis
    ? `持执法证的检查人员为 ${certified} 人；依据“${f.teamExceptionBasis}”可少于两人，但至少须有一名持证检查人员`
    : `持执法证的检查人员仅 ${certified} 人，现场检查不得少于两人（法律另有规定的须载明依据）`;
  return ruleResult('TEAM_TOO_SMALL', !isArticle17Visit(f) || certified >= minimum, certified, minimum, detail);
}

/** Art. 18(2): 主动出示执法证件 — every inspector on the visit holds an enforcement certificate. */
export function certificatesCheck(f: GuardFacts): RuleResult {
  const without = f.inspectors.filter((i) => !isCertified(i)).map((i) => i.name);
  return ruleResult(
    'INSPECTOR_UNCERTIFIED',
    !isArticle17Visit(f) || without.length === 0,
    without.length,
    0,
    `检查人员 ${without.join('、')} 未登记执法证件号；现场检查的每名检查人员均须持有并主动出示执法证件`,
  );
}

/** Art. 12, 40(9): an inspection outside the agency's territory needs the assistance arrangement on record. */
export function territoryCheck(f: GuardFacts): RuleResult {
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
export function lowestLevelCheck(f: GuardFacts): RuleResult {
  const escalated = f.agency.level === 'city' && f.lowerLevelCounterpart !== null;
  const problem = escalated ? escalationGroundProblem(f.escalationGround, f.escalationRef) : null;
  return ruleResult(
    'JURISDICTION_TERRITORIAL',
    problem === null,
    { agencyLevel: f.agency.level, lowerLevelCounterpart: f.lowerLevelCounterpart, escalationGround: f.escalationGround, escalationRef: f.escalationRef },
    { lowestLevel: f.lowerLevelCounterpart, grounds: ESCALATION_GROUND_KEYS },
    `原则上由最低一级行政执法主体（${f.lowerLevelCounterpartName ?? f.lowerLevelCounterpart}）实施；${problem ?? ''}。上级实施须属于第十一条第二款第（一）项至第（三）项情形之一或者上级主管部门有规定`,
  );
}

export function offsiteFirstCheck(f: GuardFacts): RuleResult {
  const capable = f.matters.filter((m) => m.published?.offsiteCapable).map((m) => m.code);
  const ok = f.mode !== 'onsite' || capable.length === 0 || Boolean(f.onsiteReason);
  return ruleResult('ONSITE_WHEN_OFFSITE_SUFFICES', ok, capable, 'a reason why off-site will not serve', `事项 ${capable.join('、')} 可通过非现场检查实施，现场检查须说明非现场检查不能达到目的的理由`);
}

/** Every guard that does not need the plan or frequency modules, in a stable order. */
export function basicGuards(f: GuardFacts): RuleResult[] {
  return [
    effectiveDateCheck(f),
    mattersPublishedCheck(f),
    authorityCheck(f),
    caseLeadCheck(f),
    teamSizeCheck(f),
    certificatesCheck(f),
    territoryCheck(f),
    lowestLevelCheck(f),
    offsiteFirstCheck(f),
  ];
}
