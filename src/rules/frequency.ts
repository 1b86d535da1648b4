import { periodOf, PERIOD_ZH, type Period, type PeriodRange } from '../time/periods.js';
import { ruleResult, type RuleResult } from './result.js';

/**
 * Frequency caps (Art. 15, 40(10)) as one pure function: "may agency A hold another inspection of
 * matter M at enterprise E on date D, and why not". Caps are data; this function only counts.
 */
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
  /** False for case inspections and upper-deployed special ones (Art. 15). */
  countsTowardCap: boolean;
}

export interface NoDisturbEntry {
  agencyCode: string | null;
  fromDate: string;
  toDate: string | null;
  reason: string;
}

export interface FrequencyQuestion {
  agencyCode: string;
  matterCode: string;
  domain: string;
  riskClass: string | null;
  date: string;
  kind: 'routine' | 'special' | 'case';
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

/** Applicable caps and the 无事不扰 exemption; an empty array means no cap applies. */
export function frequencyCheck(q: FrequencyQuestion): CapResult[] {
  // Case inspections are not capped (Art. 15); upper-deployed special inspections are not counted.
  if (q.kind === 'case' || (q.kind === 'special' && q.upperDeployed)) return [];
  const results: CapResult[] = [];
  if (q.kind === 'routine') {
    const exempt = q.noDisturb.find(
      (n) => (n.agencyCode === null || n.agencyCode === q.agencyCode) && n.fromDate <= q.date && (n.toDate === null || n.toDate >= q.date),
    );
    if (exempt) {
      results.push(
        ruleResult('FREQUENCY_CAP', false, 'no_disturb', 0, `该企业列入“无事不扰”清单（${exempt.reason}），无线索不得实施日常检查`),
      );
    }
  }
  for (const r of q.rules) {
    if (r.kind !== 'cap' || !inForce(r, q.date) || !reaches(r, q)) continue;
    const period = periodOf(q.date, r.period);
    const observed = q.history.filter(
      (i) =>
        i.id !== q.excludeId &&
        i.countsTowardCap &&
        i.agencyCode === q.agencyCode &&
        i.countedDate >= period.start &&
        i.countedDate <= period.end &&
        inScope(r, i),
    ).length;
    const passed = observed + 1 <= r.maxCount;
    const detail = passed
      ? undefined
      : `${PERIOD_ZH[r.period]}（${period.labelZh}）内已检查 ${observed} 次，按${r.issuerName}${r.documentNo}最多 ${r.maxCount} 次`;
    results.push({ ...ruleResult('FREQUENCY_CAP', passed, observed, r.maxCount, detail), frequencyRuleId: r.id, period });
  }
  return results;
}

/**
 * Case inspections have no cap, but clearly excessive frequency goes to the supervisors
 * (CASE_FREQUENCY_ANOMALY, Art. 15): a failed result here raises a flag, it never refuses.
 */
export function caseAnomalyCheck(q: FrequencyQuestion): CapResult[] {
  if (q.kind !== 'case') return [];
  const out: CapResult[] = [];
  for (const r of q.rules) {
    if (r.kind !== 'case_anomaly' || !inForce(r, q.date) || !reaches(r, q)) continue;
    const period = periodOf(q.date, r.period);
    const observed = q.history.filter(
      // Counted within the threshold's own scope (matter, domain or all the agency's matters), as caps are.
      (i) => i.id !== q.excludeId && i.kind === 'case' && i.agencyCode === q.agencyCode && i.countedDate >= period.start && i.countedDate <= period.end && inScope(r, i),
    ).length;
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
