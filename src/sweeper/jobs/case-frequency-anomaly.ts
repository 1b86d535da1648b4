import type { SweepJob } from '../job.js';
import { CaseFrequencyAnomaly } from '../../rules/declarations/frequency.js';
import { flagCountsOverThreshold, sinceLastYear } from './frequency-flags.js';

/**
 * CASE_FREQUENCY_ANOMALY (Art. 15: 个案检查可以不受频次上限限制，但明显超过合理频次的，行政执法监督机构应当
 * 进行监督). Never a refusal: the thresholds (frequency rules of kind `case_anomaly`) only say when the
 * supervisors look. Swept rather than checked at start because case inspections reach the record by
 * several routes (on-site start, off-site records, joint parts); the sweeper sees them all and
 * flags once per enterprise, threshold, agency and period.
 */
export const caseFrequencyAnomalyJob: SweepJob = {
  name: 'case-frequency-anomaly',
  rule: CaseFrequencyAnomaly.id,
  runBatch: (tx, ctx, limit) =>
    flagCountsOverThreshold(tx, ctx, limit, {
      job: 'case-frequency-anomaly',
      kind: 'case_anomaly',
      rule: CaseFrequencyAnomaly.id,
      counts: 'case',
      since: sinceLastYear(ctx.today),
      why: '个案检查明显超过合理频次，依第十五条由行政执法监督机构进行监督',
    }),
};
