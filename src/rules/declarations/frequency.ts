import { a, defineRule, job } from '../define.js';
import { DRAFT, ISSUE } from './commands.js';
import { periodOf, PERIOD_ZH, type Period, type PeriodRange } from '../../time/periods.js';
import { ruleResult, type RuleResult } from '../result.js';

/**
 * Frequency caps (Art. 15, 40(10)) as one pure function: "may agency A hold another inspection of
 * matter M at enterprise E on date D, and why not". Caps are data; this function only counts.
 */
export type InspectionMode = 'onsite' | 'offsite';

export interface FrequencyRuleData {
  id: string;
  kind: 'cap' | 'case_anomaly';
  issuerName: string;
  documentNo: string;
  scopeKind: 'matter' | 'domain' | 'agency';
  scopeValue: string | null;
  agencyCode: string | null;
  period: Period;
  maxCount: number;
  /** Modes the published cap counts; on-site only unless the cap says otherwise (Art. 15, 32). */
  modes: InspectionMode[];
  riskClass: string | null;
  effectiveFrom: string;
  effectiveTo: string | null;
}

/** An inspection already on record at the enterprise (what counts is decided when it is recorded). */
export interface CountedInspection {
  id: string;
  agencyCode: string;
  matterCodes: string[];
  /** Domains of its matters, for domain-scoped caps. */
  domains: string[];
  countedDate: string;
  kind: 'routine' | 'special' | 'case';
  mode: InspectionMode;
  /** False for case inspections and upper-deployed special ones (Art. 15). */
  countsTowardCap: boolean;
}

export interface NoDisturbEntry {
  agencyCode: string | null;
  fromDate: string;
  toDate: string | null;
  reason: string;
  /** The instrument that set up the list, cited in the refusal. */
  basis: string;
}

export interface FrequencyQuestion {
  agencyCode: string;
  matterCode: string;
  domain: string;
  riskClass: string | null;
  date: string;
  kind: 'routine' | 'special' | 'case';
  mode: InspectionMode;
  /** A special inspection executing an upper authority's deployment (Art. 15: not counted). */
  upperDeployed: boolean;
  rules: FrequencyRuleData[];
  history: CountedInspection[];
  noDisturb: NoDisturbEntry[];
  /** Exclude this inspection from the history (re-checking an inspection already recorded). */
  excludeId?: string;
}

export interface CapResult extends RuleResult {
  frequencyRuleId?: string;
  period?: { start: string; end: string; label: string };
}

/** 现场 / 非现场 / 现场和非现场, as the refusal says which visits were counted. */
export function modesZh(modes: readonly InspectionMode[]): string {
  if (modes.includes('onsite') && modes.includes('offsite')) return '现场和非现场';
  return modes.includes('offsite') ? '非现场' : '现场';
}

const inForce = (r: FrequencyRuleData, day: string) => r.effectiveFrom <= day && (r.effectiveTo === null || r.effectiveTo >= day);

function reaches(r: FrequencyRuleData, q: Pick<FrequencyQuestion, 'agencyCode' | 'matterCode' | 'domain' | 'riskClass'>): boolean {
  if (r.agencyCode !== null && r.agencyCode !== q.agencyCode) return false;
  if (r.riskClass !== null && r.riskClass !== q.riskClass) return false;
  if (r.scopeKind === 'matter') return r.scopeValue === q.matterCode;
  if (r.scopeKind === 'domain') return r.scopeValue === q.domain;
  return true;
}

function inScope(r: FrequencyRuleData, i: CountedInspection): boolean {
  if (r.scopeKind === 'matter') return i.matterCodes.includes(r.scopeValue ?? '');
  if (r.scopeKind === 'domain') return i.domains.includes(r.scopeValue ?? '');
  return true;
}

/**
 * The one definition of the count (Art. 15): the inspections of `agencyCode` on record within `period`
 * that threshold `r` counts — for a cap, those counted toward caps in the modes it names; for a case
 * anomaly threshold, case inspections — within the threshold's scope (matter, domain or all the agency's
 * matters). The code-issuing guard (FREQUENCY_CAP, CASE_FREQUENCY_ANOMALY below) and the sweeper's
 * detectors (src/sweeper/jobs/frequency-flags.ts, over the history it loads for each candidate) both count
 * with it.
 */
export function countedOnRecord(r: FrequencyRuleData, history: readonly CountedInspection[], agencyCode: string, period: PeriodRange, excludeId?: string): number {
  return history.filter(
    (i) =>
      i.id !== excludeId &&
      (r.kind === 'cap' ? i.countsTowardCap && r.modes.includes(i.mode) : i.kind === 'case') &&
      i.agencyCode === agencyCode &&
      i.countedDate >= period.start &&
      i.countedDate <= period.end &&
      inScope(r, i),
  ).length;
}

/**
 * The 无事不扰 list is not an Order 327 article: it is a measure of the government or department that set
 * the list up (NO_DISTURB cites that instrument). It spares a listed enterprise on-site routine visits
 * only: off-site checks are what Art. 32 prefers, and a case inspection has its own lead (Art. 9).
 */
export function NO_DISTURB(q: Pick<FrequencyQuestion, 'agencyCode' | 'date' | 'kind' | 'mode' | 'noDisturb'>): RuleResult[] {
  if (q.kind !== 'routine' || q.mode !== 'onsite') return [];
  const exempt = q.noDisturb.find(
    (n) => (n.agencyCode === null || n.agencyCode === q.agencyCode) && n.fromDate <= q.date && (n.toDate === null || n.toDate >= q.date),
  );
  if (!exempt) return [];
  const basis = exempt.basis ? `依据${exempt.basis}，` : '';
  return [ruleResult('NO_DISTURB', false, 'listed', 'not listed', `该企业已列入“无事不扰”企业清单（${exempt.reason}），${basis}不对其实施现场日常检查；可采用非现场检查，或有线索时依法实施个案检查`)];
}

/** Applicable caps, and the 无事不扰 list where it applies; an empty array means nothing applies. */
export function FREQUENCY_CAP(q: FrequencyQuestion): CapResult[] {
  // Case inspections are not capped (Art. 15); upper-deployed special inspections are not counted.
  if (q.kind === 'case' || (q.kind === 'special' && q.upperDeployed)) return [];
  const results: CapResult[] = [...NO_DISTURB(q)];
  for (const r of q.rules) {
    // A cap counts only the modes it names: an off-site check neither uses nor is refused by an on-site cap.
    if (r.kind !== 'cap' || !inForce(r, q.date) || !reaches(r, q) || !r.modes.includes(q.mode)) continue;
    const period = periodOf(q.date, r.period);
    const observed = countedOnRecord(r, q.history, q.agencyCode, period, q.excludeId);
    const passed = observed + 1 <= r.maxCount;
    const detail = passed
      ? undefined
      : `${PERIOD_ZH[r.period]}（${period.labelZh}）内已${modesZh(r.modes)}检查 ${observed} 次，按${r.issuerName}${r.documentNo}最多 ${r.maxCount} 次`;
    results.push({ ...ruleResult('FREQUENCY_CAP', passed, observed, r.maxCount, detail), frequencyRuleId: r.id, period });
  }
  return results;
}

/**
 * Case inspections have no cap, but clearly excessive frequency goes to the supervisors
 * (CASE_FREQUENCY_ANOMALY, Art. 15): a failed result here raises a flag, it never refuses.
 */
export function CASE_FREQUENCY_ANOMALY(q: FrequencyQuestion): CapResult[] {
  if (q.kind !== 'case') return [];
  const out: CapResult[] = [];
  for (const r of q.rules) {
    if (r.kind !== 'case_anomaly' || !inForce(r, q.date) || !reaches(r, q)) continue;
    const period = periodOf(q.date, r.period);
    const observed = countedOnRecord(r, q.history, q.agencyCode, period, q.excludeId);
    const passed = observed + 1 <= r.maxCount;
    out.push({
      ...ruleResult('CASE_FREQUENCY_ANOMALY', passed, observed + 1, r.maxCount, passed ? undefined : `${PERIOD_ZH[r.period]}（${period.labelZh}）内个案检查达 ${observed + 1} 次，超过合理频次 ${r.maxCount} 次`),
      frequencyRuleId: r.id,
      period,
    });
  }
  return out;
}

/**
 * The detectors' reading of a count already on record (the sweeper's CASE_FREQUENCY_ANOMALY and the
 * FREQUENCY_CAP detector): `observed` inspections of one agency at one enterprise within one period of
 * threshold `r`; passed while the count stays within `maxCount`. The flag is built from this result.
 */
export function countOnRecordCheck(rule: 'FREQUENCY_CAP' | 'CASE_FREQUENCY_ANOMALY', r: FrequencyRuleData, observed: number, period: PeriodRange): CapResult {
  const passed = observed <= r.maxCount;
  const what = rule === 'FREQUENCY_CAP' ? '计入频次的检查' : '个案检查';
  const limit = rule === 'FREQUENCY_CAP' ? `按${r.issuerName}${r.documentNo}最多 ${r.maxCount} 次` : `合理频次 ${r.maxCount} 次（${r.issuerName}${r.documentNo}）`;
  const detail = passed ? undefined : `${PERIOD_ZH[r.period]}（${period.labelZh}）内${what}已达 ${observed} 次，超过${limit}`;
  return { ...ruleResult(rule, passed, observed, r.maxCount, detail), frequencyRuleId: r.id, period };
}

// ---- Frequency (Art. 15, 40(10), 无事不扰): one declaration per rule ----

export const FrequencyCap = defineRule({
  id: 'FREQUENCY_CAP',
  articles: [a(15), a(40, 10)],
  kind: 'guard+detector',
  severity: 'high',
  titleZh: '超出规定的行政检查频次',
  titleEn: 'Inspection frequency cap exceeded',
  check: FREQUENCY_CAP,
  raisers: { guardedBy: [DRAFT, ISSUE], raisedBy: [job('frequency-cap-exceeded')] },
});

export const CaseFrequencyAnomaly = defineRule({
  id: 'CASE_FREQUENCY_ANOMALY',
  articles: [a(15)],
  kind: 'detector',
  severity: 'medium',
  titleZh: '个案检查明显超过合理频次',
  titleEn: 'Case inspections clearly too frequent',
  check: CASE_FREQUENCY_ANOMALY,
  raisers: { raisedBy: [job('case-frequency-anomaly')] },
});

export const NoDisturb = defineRule({
  id: 'NO_DISTURB',
  articles: [{ law: '“无事不扰”企业清单及其设立文件' }],
  kind: 'guard',
  severity: 'medium',
  titleZh: '该企业列入“无事不扰”清单，不实施现场日常检查',
  titleEn: 'Enterprise on the 无事不扰 list: no on-site routine inspection',
  check: NO_DISTURB,
  raisers: { guardedBy: [ISSUE] },
});
