import type { Db } from '../db/client.js';
import type { Clock } from '../time/clock.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { DEFAULT_JOINT_SETTINGS } from '../config/joint-settings.js';
import { DEFAULT_PLAN_SETTINGS } from '../plans/plan-settings.js';
import type { SweepContext, SweepJob, SweepOptions } from './job.js';
import { SWEEP_JOBS } from './registry.js';
import { alertIfCalendarMissing } from './calendar-alert.js';
import { DEFAULT_RELABELLING } from '../declarations/settings.js';

export type { SweepOptions } from './job.js';

/** What one job did in a pass; `error` when it failed (the other jobs still ran). */
export interface SweepReport {
  job: string;
  count: number;
  error?: string;
}

// 20 days is a supervisor's reminder, not a statutory term: Art. 14 says "依法公布" without a number.
export const DEFAULT_PLAN_PUBLISH_DAYS = 20;
// The RESULT_NOTIFY_WORKING_DAYS default (src/config/config.ts).
export const DEFAULT_RESULT_NOTIFY_WORKING_DAYS = 5;
// The REFERRAL_ACCEPT_WORKING_DAYS default (src/config/config.ts).
export const DEFAULT_REFERRAL_ACCEPT_WORKING_DAYS = 5;
// The ARCHIVE_WITHIN_DAYS and CASE_MERGE_WINDOW_DAYS defaults (src/config/config.ts says why).
export const DEFAULT_ARCHIVE_WITHIN_DAYS = 30;
export const DEFAULT_CASE_MERGE_WINDOW_DAYS = 30;
/** FOLLOW_UP_DAYS (src/config/config.ts says why 15). */
export const DEFAULT_FOLLOW_UP_DAYS = 15;
const DEFAULT_BATCH = 500;
// A runaway job (selecting rows it never flags) stops here instead of spinning.
const MAX_BATCHES = 10_000;

async function runJob(db: Db, job: SweepJob, ctx: SweepContext): Promise<number> {
  let raised = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    // One transaction per batch: its row locks last only as long as the batch.
    const batch = await db.transaction((tx) => job.runBatch(tx, ctx, ctx.options.batchSize));
    raised += batch.raised;
    if (batch.more !== undefined) {
      if (!batch.more) break;
      continue;
    }
    if (batch.selected < ctx.options.batchSize) break;
    // A full batch whose candidates all passed their rule's check would come back unchanged: stop here.
    if (batch.raised === 0) break;
  }
  return raised;
}

/**
 * One sweep: every registered job, each in its own transactions, at the clock's current instant.
 * Idempotent and safe to run on several instances at once; returns the flags each job raised.
 */
export async function runSweep(db: Db, clock: Clock, options: SweepOptions = {}, jobs: readonly SweepJob[] = SWEEP_JOBS): Promise<SweepReport[]> {
  const at = clock.now();
  const ctx: SweepContext = {
    at,
    today: shanghaiDate(at),
    options: {
      planPublishWithinDays: options.planPublishWithinDays ?? DEFAULT_PLAN_PUBLISH_DAYS,
      planRefileWithinDays: options.planRefileWithinDays ?? DEFAULT_PLAN_SETTINGS.refileDays,
      resultNotifyWorkingDays: options.resultNotifyWorkingDays ?? DEFAULT_RESULT_NOTIFY_WORKING_DAYS,
      referralAcceptWorkingDays: options.referralAcceptWorkingDays ?? DEFAULT_REFERRAL_ACCEPT_WORKING_DAYS,
      followUpDays: options.followUpDays ?? DEFAULT_FOLLOW_UP_DAYS,
      jointCoordinationDays: options.jointCoordinationDays ?? DEFAULT_JOINT_SETTINGS.coordinationDays,
      archiveWithinDays: options.archiveWithinDays ?? DEFAULT_ARCHIVE_WITHIN_DAYS,
      caseMergeWindowDays: options.caseMergeWindowDays ?? DEFAULT_CASE_MERGE_WINDOW_DAYS,
      relabelling: options.relabelling ?? DEFAULT_RELABELLING,
      batchSize: options.batchSize ?? DEFAULT_BATCH,
    },
  };
  const reports: SweepReport[] = [];
  for (const job of jobs) {
    try {
      reports.push({ job: job.name, count: await runJob(db, job, ctx) });
    } catch (err) {
      reports.push({ job: job.name, count: 0, error: err instanceof Error ? err.message : String(err) });
      await alertIfCalendarMissing(db, at, job.name, err);
    }
  }
  return reports;
}
