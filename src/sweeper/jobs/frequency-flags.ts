import { historyBetween } from '../../frequency/facts.js';
import { countedOnRecord, countOnRecordCheck, type FrequencyRuleData } from '../../rules/declarations/frequency.js';
import { flagIfFailed } from '../confirm.js';
import { periodOf } from '../../time/periods.js';
import type { Db } from '../../db/client.js';
import type { SweepContext } from '../job.js';
import { thresholdsById, type ThresholdQuery } from '../counts-over-threshold.js';
import { completePass, passScope } from '../frequency-watermark.js';
import { newWalk, nextGroups, walked, type FrequencyWalk } from '../frequency-walk.js';

const SCOPE_ZH: Record<FrequencyRuleData['scopeKind'], (v: string | null) => string> = {
  matter: (v) => `检查事项${v}`,
  domain: (v) => `${v}领域`,
  agency: () => '全部检查事项',
};

// One walk per job and pass, keyed by the pass's context: runSweep makes one per pass, so a pass never sees
// another's walk, and a failed pass leaves nothing behind (its watermark was not moved).
const passes = new WeakMap<SweepContext, Map<string, FrequencyWalk>>();

/**
 * One batch of either frequency detector. The pass's first batch reads what changed since the job's last
 * completed pass; every batch then takes the next `limit` candidate groups of the pass's walk (an agency,
 * an enterprise, a threshold's period whose count looks over the threshold, src/sweeper/frequency-walk.ts),
 * loads the enterprise's history in that period as the guard loads it and counts it with the one definition of the count (src/rules/declarations/frequency.ts countedOnRecord); the rule's
 * check on that count decides, and only a failed result raises the flag, once per (enterprise, threshold,
 * agency, period). The batch that finishes the walk stores the pass's watermark in its transaction.
 */
export async function flagCountsOverThreshold(
  tx: Db,
  ctx: SweepContext,
  limit: number,
  q: ThresholdQuery & { job: string; rule: 'FREQUENCY_CAP' | 'CASE_FREQUENCY_ANOMALY'; why: string },
) {
  const byJob = passes.get(ctx) ?? new Map<string, FrequencyWalk>();
  passes.set(ctx, byJob);
  let walk = byJob.get(q.job);
  if (!walk) {
    walk = newWalk(await passScope(tx, q.job, q.kind), ctx.options.frequencyWalk);
    byJob.set(q.job, walk);
  }
  const groups = await nextGroups(tx, q, walk, limit);
  const thresholds = await thresholdsById(tx, groups.map((g) => g.frequency_rule_id));
  let raised = 0;
  for (const g of groups) {
    const threshold = thresholds.get(g.frequency_rule_id);
    // Deleted since the pass began: nothing to count against.
    if (!threshold) continue;
    const period = periodOf(g.period_start, threshold.period);
    // What the SQL looked at: from `since`, up to the threshold's retirement.
    const from = period.start > q.since ? period.start : q.since;
    const to = threshold.effectiveTo !== null && threshold.effectiveTo < period.end ? threshold.effectiveTo : period.end;
    const history = await historyBetween(tx, g.enterprise_code, from, to);
    const result = countOnRecordCheck(q.rule, threshold, countedOnRecord(threshold, history, g.agency_code, period), period);
    // The evidence is what the rule counted: each inspection of the history that the count takes.
    const inspectionIds = history.filter((i) => countedOnRecord(threshold, [i], g.agency_code, period) === 1).map((i) => i.id);
    const flagged = await flagIfFailed(tx, ctx.at, { ...result, detail: `${SCOPE_ZH[threshold.scopeKind](threshold.scopeValue)}：${result.detail}；${q.why}` }, {
      subjectType: 'enterprise',
      subjectId: g.enterprise_code,
      occurrence: `${g.frequency_rule_id}:${g.agency_code}:${g.period_start}`,
      agencyCode: g.agency_code,
      enterpriseCode: g.enterprise_code,
      districtCode: g.district_code,
      evidence: { frequencyRuleId: threshold.id, period, inspectionIds, result },
    });
    if (flagged) raised++;
  }
  const more = !walked(walk);
  if (!more) {
    await completePass(tx, q.job, walk.scope, ctx.at);
    byJob.delete(q.job);
  }
  return { selected: groups.length, raised, more };
}

/** Counted dates older than the previous calendar year were swept while their periods were current. */
export const sinceLastYear = (today: string) => `${Number(today.slice(0, 4)) - 1}-01-01`;
