import type { SweepJob } from '../job.js';
import { FrequencyCap } from '../../rules/declarations/frequency.js';
import { flagCountsOverThreshold, sinceLastYear } from './frequency-flags.js';

/**
 * FREQUENCY_CAP as a detector (Art. 15, 40(10)): the code-issuing guard refuses the visit that would pass a
 * cap, but inspections reach the count by routes that never meet it — off-site records, visits recorded
 * after the fact, rows written by an import. When an agency's counted inspections of an enterprise in one
 * cap's period exceed the cap, whatever the route, supervisors get one flag per enterprise, cap, agency
 * and period.
 */
export const frequencyCapExceededJob: SweepJob = {
  name: 'frequency-cap-exceeded',
  rule: FrequencyCap.id,
  runBatch: (tx, ctx, limit) =>
    flagCountsOverThreshold(tx, ctx, limit, {
      job: 'frequency-cap-exceeded',
      kind: 'cap',
      rule: FrequencyCap.id,
      counts: 'toward_cap',
      since: sinceLastYear(ctx.today),
      why: '超出规定的行政检查频次，违反第十五条、第四十条第（十）项',
    }),
};
