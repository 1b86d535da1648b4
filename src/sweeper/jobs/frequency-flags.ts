import { historyBetween } from '../../frequency/facts.js';
import { countedOnRecord, countOnRecordCheck, type FrequencyRuleData } from '../../rules/declarations/frequency.js';
import { flagIfFailed } from '../confirm.js';
import { periodOf } from '../../time/periods.js';
import type { Db } from '../../db/client.js';
import { countsOverThreshold, thresholdsById, type ThresholdQuery } from '../counts-over-threshold.js';

const SCOPE_ZH: Record<FrequencyRuleData['scopeKind'], (v: string | null) => string> = {
  matter: (v) => `检查事项${v}`,
  domain: (v) => `${v}领域`,
  agency: () => '全部检查事项',
};

/**
 * One batch of either frequency detector: the SQL selects candidate groups (an agency, an enterprise, a
 * threshold's period) whose count looks over the threshold; for each, the enterprise's history in that
 * period is loaded as the guard loads it and counted by the one definition of the count
 * (src/rules/declarations/frequency.ts countedOnRecord); the rule's check on that count decides, and only
 * a failed result raises the flag, once per (enterprise, threshold, agency, period).
 */
export async function flagCountsOverThreshold(tx: Db, at: Date, q: ThresholdQuery & { rule: 'FREQUENCY_CAP' | 'CASE_FREQUENCY_ANOMALY'; why: string }) {
  const groups = await countsOverThreshold(tx, q);
  const thresholds = await thresholdsById(tx, groups.map((g) => g.frequency_rule_id));
  let raised = 0;
  for (const g of groups) {
    const threshold = thresholds.get(g.frequency_rule_id)!;
    const period = periodOf(g.period_start, threshold.period);
    // What the SQL looked at: from `since`, up to the threshold's retirement.
    const from = period.start > q.since ? period.start : q.since;
    const to = threshold.effectiveTo !== null && threshold.effectiveTo < period.end ? threshold.effectiveTo : period.end;
    const history = await historyBetween(tx, g.enterprise_code, from, to);
    const result = countOnRecordCheck(q.rule, threshold, countedOnRecord(threshold, history, g.agency_code, period), period);
    const flagged = await flagIfFailed(tx, at, { ...result, detail: `${SCOPE_ZH[threshold.scopeKind](threshold.scopeValue)}：${result.detail}；${q.why}` }, {
      subjectType: 'enterprise',
      subjectId: g.enterprise_code,
      occurrence: `${g.frequency_rule_id}:${g.agency_code}:${g.period_start}`,
      agencyCode: g.agency_code,
      enterpriseCode: g.enterprise_code,
      districtCode: g.district_code,
      evidence: { frequencyRuleId: threshold.id, period, inspectionIds: g.ids, result },
    });
    if (flagged) raised++;
  }
  return { selected: groups.length, raised };
}

/** Counted dates older than the previous calendar year were swept while their periods were current. */
export const sinceLastYear = (today: string) => `${Number(today.slice(0, 4)) - 1}-01-01`;
