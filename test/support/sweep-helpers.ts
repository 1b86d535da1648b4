import { and, eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import { flags } from '../../src/db/schema/index.js';
import type { SweepJob } from '../../src/sweeper/job.js';
import type { SweepReport } from '../../src/sweeper/run.js';

/** Flags of one rule (optionally on one subject), straight from the register. */
export const flagsOf = (db: Db, rule: string, subjectId?: string) =>
  db
    .select()
    .from(flags)
    .where(subjectId ? and(eq(flags.rule, rule), eq(flags.subjectId, subjectId)) : eq(flags.rule, rule));

export const countOf = (reports: SweepReport[], job: string) => {
  const r = reports.find((x) => x.job === job);
  if (!r) throw new Error(`no report for ${job}`);
  if (r.error) throw new Error(`${job} failed: ${r.error}`);
  return r.count;
};

/**
 * A job that crashes mid-pass: its first `okBatches` batches commit, then one batch does its work and
 * dies before committing (the process killed between raising the flags and the commit).
 */
export function crashingAfter(job: SweepJob, okBatches: number): SweepJob & { batches: number } {
  const wrapped = {
    ...job,
    batches: 0,
    async runBatch(tx: Db, ctx: Parameters<SweepJob['runBatch']>[1], limit: number) {
      const out = await job.runBatch(tx, ctx, limit);
      wrapped.batches++;
      if (wrapped.batches > okBatches) throw new Error('simulated crash before commit');
      return out;
    },
  };
  return wrapped;
}
