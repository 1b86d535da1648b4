import { CASE_FREQUENCY_ANOMALY, FREQUENCY_CAP, type CapResult, type FrequencyQuestion, type FrequencyRuleData } from '../rules/declarations/frequency.js';
import type { FrequencyFacts } from './facts.js';

/**
 * What an officer planning a visit wants to know (Art. 15): for each cap that reaches this agency,
 * matter and enterprise, how many inspections the period has used and how many remain, and whether the
 * enterprise is on the 无事不扰 list. Pure: computed from loadFrequencyFacts with the same functions the
 * code-issuing guard uses, so the answer and the guard never disagree.
 */
export interface CapUsage {
  frequencyRuleId: string;
  issuerName: string;
  documentNo: string;
  scopeKind: FrequencyRuleData['scopeKind'];
  scopeValue: string | null;
  riskClass: string | null;
  periodKind: FrequencyRuleData['period'];
  /** The modes this cap counts (on-site only unless the published cap says otherwise). */
  modes: FrequencyRuleData['modes'];
  period: { start: string; end: string; label: string };
  limit: number;
  used: number;
  remaining: number;
}

export interface FrequencyAllowance {
  kind: FrequencyQuestion['kind'];
  mode: FrequencyQuestion['mode'];
  upperDeployed: boolean;
  /** Active 无事不扰 entries reaching this agency on the date. */
  noDisturb: FrequencyFacts['noDisturb'];
  /** Only an on-site routine inspection is kept away by the list (NO_DISTURB); off-site and case ones are not. */
  noDisturbBlocks: boolean;
  caps: CapUsage[];
  /** Case inspections: the anomaly thresholds (never a refusal; supervisors are told). */
  caseThresholds: CapUsage[];
  /** Would one more inspection of this kind pass every cap and the list. */
  allowed: boolean;
}

function usage(facts: FrequencyFacts, r: CapResult, usedOf: (r: CapResult) => number): CapUsage {
  const rule = facts.rules.find((x) => x.id === r.frequencyRuleId)!;
  const used = usedOf(r);
  return {
    frequencyRuleId: rule.id,
    issuerName: rule.issuerName,
    documentNo: rule.documentNo,
    scopeKind: rule.scopeKind,
    scopeValue: rule.scopeValue,
    riskClass: rule.riskClass,
    periodKind: rule.period,
    modes: rule.modes,
    period: r.period!,
    limit: rule.maxCount,
    used,
    remaining: Math.max(0, rule.maxCount - used),
  };
}

export function frequencyAllowance(
  facts: FrequencyFacts,
  kind: FrequencyQuestion['kind'],
  upperDeployed = false,
  mode: FrequencyQuestion['mode'] = 'onsite',
): FrequencyAllowance {
  const question: FrequencyQuestion = { ...facts, kind, mode, upperDeployed };
  const results = FREQUENCY_CAP(question);
  const caps = results.filter((r) => r.frequencyRuleId).map((r) => usage(facts, r, (x) => Number(x.observed)));
  // CASE_FREQUENCY_ANOMALY counts the prospective inspection in `observed`; usage shows the ones on record.
  const caseThresholds = CASE_FREQUENCY_ANOMALY(question).map((r) => usage(facts, r, (x) => Number(x.observed) - 1));
  const noDisturb = facts.noDisturb.filter(
    (n) => (n.agencyCode === null || n.agencyCode === facts.agencyCode) && n.fromDate <= facts.date && (n.toDate === null || n.toDate >= facts.date),
  );
  const noDisturbBlocks = results.some((r) => !r.frequencyRuleId && !r.passed);
  return { kind, mode, upperDeployed, noDisturb, noDisturbBlocks, caps, caseThresholds, allowed: results.every((r) => r.passed) };
}
