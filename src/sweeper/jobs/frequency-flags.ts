import { historyBetween } from '../../frequency/facts.js';
import { countedOnRecord, countOnRecordCheck, type FrequencyRuleData } from '../../rules/declarations/frequency.js';
import { flagIfFailed } from '../confirm.js';
import { periodOf } from '../../time/periods.js';
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { SweepContext } from '../job.js';
import { countsOverThreshold, thresholdsById, type OverThreshold, type ThresholdQuery } from '../counts-over-threshold.js';
import { completePass, passScope, type PassScope } from '../frequency-watermark.js';

const SCOPE_ZH: Record<FrequencyRuleData['scopeKind'], (v: string | null) => string> = {
  matter: (v) => `检查事项${v}`,
  domain: (v) => `${v}领域`,
  agency: () => '全部检查事项',
};

/** Where one pass's candidate groups stand: read once when the pass begins, walked in batches. */
interface FrequencyPass {
  scope: PassScope;
  groups: OverThreshold[];
  next: number;
}
// Keyed by the pass's context: runSweep makes one per pass, so a pass never sees another's groups.
const passes = new WeakMap<SweepContext, Map<string, FrequencyPass>>();

/**
 * The candidate groups of one pass, from the statements its scope needs: every threshold over every
 * enterprise when the job never completed a pass; else the thresholds changed since (each over every
 * enterprise), the domain-scoped thresholds over the agencies whose matter lists changed, and every
 * threshold over the enterprises whose counted inspections or risk class changed. Nothing else can
 * push a group over its threshold: the count reads only those rows (src/sweeper/frequency-watermark.ts,
 * docs/ARCHITECTURE.md "The sweeper's frequency passes"), and the passing of time alone changes no count.
 * Separate statements rather than one OR, so each gets its own plan (a scan for a threshold, index probes
 * for a few enterprises).
 */
async function candidateGroups(tx: Db, q: ThresholdQuery, scope: PassScope): Promise<OverThreshold[]> {
  // Credit codes, agency codes and ids are plain ASCII without commas or quotes: one array literal each.
  const list = (values: string[]) => sql`${`{${values.join(',')}}`}::text[]`;
  const reaches: SQL[] = [];
  if (scope.since === null) reaches.push(sql`TRUE`);
  else {
    if (scope.rules.length > 0) reaches.push(sql`r.id::text = ANY(${list(scope.rules)})`);
    if (scope.agencies.length > 0) reaches.push(sql`r.scope_kind = 'domain' AND i.agency_code = ANY(${list(scope.agencies)})`);
    if (scope.enterprises.length > 0) reaches.push(sql`i.enterprise_code = ANY(${list(scope.enterprises)})`);
  }
  const groups = new Map<string, OverThreshold>();
  for (const reach of reaches) {
    for (const g of await countsOverThreshold(tx, q, reach)) groups.set(`${g.frequency_rule_id}:${g.agency_code}:${g.period_start}:${g.enterprise_code}`, g);
  }
  const key = (g: OverThreshold) => [g.period_start, g.enterprise_code, g.agency_code, g.frequency_rule_id];
  return [...groups.values()].sort((x, y) => {
    const [a, b] = [key(x), key(y)];
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k]! < b[k]! ? -1 : 1;
    return 0;
  });
}

/**
 * One batch of either frequency detector. The pass's first batch reads the candidate groups (an agency,
 * an enterprise, a threshold's period whose count looks over the threshold) once; every batch then takes
 * the next `limit` of them, loads the enterprise's history in that period as the guard loads it and counts
 * it with the one definition of the count (src/rules/declarations/frequency.ts countedOnRecord); the rule's
 * check on that count decides, and only a failed result raises the flag, once per (enterprise, threshold,
 * agency, period). The batch that finishes the walk stores the pass's watermark in its transaction.
 */
export async function flagCountsOverThreshold(
  tx: Db,
  ctx: SweepContext,
  limit: number,
  q: ThresholdQuery & { job: string; rule: 'FREQUENCY_CAP' | 'CASE_FREQUENCY_ANOMALY'; why: string },
) {
  const byJob = passes.get(ctx) ?? new Map<string, FrequencyPass>();
  passes.set(ctx, byJob);
  let pass = byJob.get(q.job);
  if (!pass) {
    const scope = await passScope(tx, q.job);
    pass = { scope, groups: await candidateGroups(tx, q, scope), next: 0 };
    byJob.set(q.job, pass);
  }
  const groups = pass.groups.slice(pass.next, pass.next + limit);
  pass.next += groups.length;
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
  const more = pass.next < pass.groups.length;
  if (!more) {
    await completePass(tx, q.job, pass.scope.horizon, ctx.at);
    byJob.delete(q.job);
  }
  return { selected: groups.length, raised, more };
}

/** Counted dates older than the previous calendar year were swept while their periods were current. */
export const sinceLastYear = (today: string) => `${Number(today.slice(0, 4)) - 1}-01-01`;
