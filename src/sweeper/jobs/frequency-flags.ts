import { raiseFlag, SYSTEM_ACTOR } from '../../flags/raise.js';
import { countOnRecordCheck, type FrequencyRuleData } from '../../rules/frequency.js';
import { periodOf } from '../../time/periods.js';
import type { Db } from '../../db/client.js';
import { countsOverThreshold, thresholdsById, type ThresholdQuery } from '../counts-over-threshold.js';

const SCOPE_ZH: Record<FrequencyRuleData['scopeKind'], (v: string | null) => string> = {
  matter: (v) => `检查事项${v}`,
  domain: (v) => `${v}领域`,
  agency: () => '全部检查事项',
};

/**
 * One batch of either frequency detector: select the groups over their threshold, read each with the
 * pure rule function, raise one flag per (enterprise, threshold, agency, period) from the failed result.
 */
export async function flagCountsOverThreshold(tx: Db, at: Date, q: ThresholdQuery & { rule: 'FREQUENCY_CAP' | 'CASE_FREQUENCY_ANOMALY'; why: string }) {
  const groups = await countsOverThreshold(tx, q);
  const thresholds = await thresholdsById(tx, groups.map((g) => g.frequency_rule_id));
  let raised = 0;
  for (const g of groups) {
    const threshold = thresholds.get(g.frequency_rule_id)!;
    const period = periodOf(g.period_start, threshold.period);
    const result = countOnRecordCheck(q.rule, threshold, g.n, period);
    if (result.passed) continue;
    const id = await raiseFlag(tx, at, SYSTEM_ACTOR, {
      rule: result.rule,
      subjectType: 'enterprise',
      subjectId: g.enterprise_code,
      occurrence: `${g.frequency_rule_id}:${g.agency_code}:${g.period_start}`,
      agencyCode: g.agency_code,
      enterpriseCode: g.enterprise_code,
      districtCode: g.district_code,
      observed: result.observed,
      limit: result.limit,
      detail: `${SCOPE_ZH[threshold.scopeKind](threshold.scopeValue)}：${result.detail}；${q.why}`,
      evidence: { frequencyRuleId: threshold.id, period, inspectionIds: g.ids, result },
    });
    if (id) raised++;
  }
  return { selected: groups.length, raised };
}

/** Counted dates older than the previous calendar year were swept while their periods were current. */
export const sinceLastYear = (today: string) => `${Number(today.slice(0, 4)) - 1}-01-01`;
