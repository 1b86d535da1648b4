import { ruleResult, type RuleResult } from '../result.js';
import { a, defineRule, job } from '../define.js';


/**
 * Signs of relabelling (issue 22): patterns in how agencies label their inspections and what they declare.
 * The thresholds are the platform's detection settings, never the Order's numbers (the messages say so).
 */

/** Art. 9, 15: case inspections rising while routine inspections meet their caps (FREQUENCY_CAP refusals). */
export interface RelabellingFacts {
  /** Case inspections in the last window, in the window before it, and FREQUENCY_CAP refusals in the last. */
  now: number;
  prev: number;
  refusals: number;
  windowDays: number;
  riseTimes: number;
  minCases: number;
}

export function CASE_RELABELLING(f: RelabellingFacts): RuleResult {
  const rising = f.refusals > 0 && f.now >= f.minCases && f.now >= f.riseTimes * Math.max(f.prev, 1);
  return ruleResult(
    'CASE_RELABELLING',
    !rising,
    { caseInspections: f.now, previousPeriod: f.prev, frequencyCapRefusals: f.refusals },
    { CASE_RELABEL_WINDOW_DAYS: f.windowDays, CASE_RELABEL_RISE_TIMES: f.riseTimes, CASE_RELABEL_MIN_CASES: f.minCases },
    `近${f.windowDays}日个案检查${f.now}次，为前一期间（${f.prev}次）的${f.riseTimes}倍以上，同期日常检查因频次上限被拒绝${f.refusals}次；可能将日常检查改称个案检查（期间、倍数和最低次数为本平台的检测设置，非本办法规定），请监督核查`,
  );
}

/** Art. 9: one lead reference serving case inspections of several enterprises. */
export interface LeadSharedFacts {
  leadRef: string;
  enterprises: readonly string[];
  minEnterprises: number;
  windowDays: number;
}

export function LEAD_SHARED(f: LeadSharedFacts): RuleResult {
  return ruleResult(
    'LEAD_SHARED',
    f.enterprises.length < f.minEnterprises,
    { leadRef: f.leadRef, enterprises: f.enterprises.length },
    { LEAD_SHARED_MIN_ENTERPRISES: f.minEnterprises, LEAD_SHARED_WINDOW_DAYS: f.windowDays },
    `线索编号“${f.leadRef}”用于${f.enterprises.length}家企业的个案检查；个案检查应依其线索实施（第九条），一条线索对应多家企业的，可能是以个案名义实施的批量检查（企业家数阈值为本平台的检测设置，非本办法规定），请监督核查`,
  );
}

/** Art. 6: an agency's declared exemptions against the median of its peers (same level). */
export interface PeerFacts {
  declarations: number;
  peerMedian: number;
  times: number;
  min: number;
  windowDays: number;
}

export function DECLARATIONS_ABOVE_PEERS(f: PeerFacts): RuleResult {
  const above = f.declarations >= f.min && f.declarations >= f.times * Math.max(f.peerMedian, 1);
  return ruleResult(
    'DECLARATIONS_ABOVE_PEERS',
    !above,
    { declarations: f.declarations, peerMedian: f.peerMedian },
    { DECLARATION_PEER_TIMES: f.times, DECLARATION_PEER_MIN: f.min, DECLARATION_PEER_WINDOW_DAYS: f.windowDays },
    `近${f.windowDays}日声明事项${f.declarations}项，同层级主体中位数为${f.peerMedian}项，达到其${f.times}倍以上（倍数和最低项数为本平台的检测设置，非本办法规定），请监督核查所声明的事项`,
  );
}

// ---- Signs of relabelling (Art. 6, 9, 15; issue 22): one declaration per rule ----

export const CaseRelabelling = defineRule({
  id: 'CASE_RELABELLING',
  articles: [a(9), a(15)],
  kind: 'detector',
  severity: 'high',
  titleZh: '日常检查达到频次上限后个案检查明显增加',
  titleEn: 'Case inspections rising while routine inspections meet their caps',
  check: CASE_RELABELLING,
  raisers: { raisedBy: [job('case-relabelling')] },
});

export const LeadShared = defineRule({
  id: 'LEAD_SHARED',
  articles: [a(9)],
  kind: 'detector',
  severity: 'medium',
  titleZh: '同一线索编号用于多家企业的个案检查',
  titleEn: 'One lead reference serving case inspections of several enterprises',
  check: LEAD_SHARED,
  raisers: { raisedBy: [job('lead-shared')] },
});

export const DeclarationsAbovePeers = defineRule({
  id: 'DECLARATIONS_ABOVE_PEERS',
  articles: [a(6)],
  kind: 'detector',
  severity: 'medium',
  titleZh: '声明事项明显多于同级同类主体',
  titleEn: 'Declared exemptions far above the agency’s peers',
  check: DECLARATIONS_ABOVE_PEERS,
  raisers: { raisedBy: [job('declarations-above-peers')] },
});
