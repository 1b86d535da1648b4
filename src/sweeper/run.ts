import type { Db } from '../db/client.js';
import type { Clock } from '../time/clock.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { defaultSettings, type Config } from '../config/config.js';
import { withAuditMac, type AuditMacKeys } from '../audit/mac.js';
import type { SweepContext, SweepJob, SweepOptions } from './job.js';
import { SWEEP_JOBS } from './registry.js';
import { alertIfCalendarMissing } from './calendar-alert.js';
import { DEFAULT_WALK } from './frequency-walk.js';

export type { SweepOptions } from './job.js';

/** What one job did in a pass; `error` when it failed (the other jobs still ran). */
export interface SweepReport {
  job: string;
  count: number;
  error?: string;
}

// Rows per transaction: short transactions keep row locks brief.
const BATCH_SIZE = 500;
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

/** What the jobs read from the app's settings (src/config/config.ts). */
export function sweepOptions(config: Config): Required<SweepOptions> {
  return {
    planPublishWithinDays: config.planPublishDays,
    planRefileWithinDays: config.plans.refileDays,
    resultNotifyWorkingDays: config.resultNotifyWorkingDays,
    referralAcceptWorkingDays: config.referralAcceptWorkingDays,
    followUpDays: config.followUpDays,
    jointCoordinationDays: config.joint.coordinationDays,
    archiveWithinDays: config.archiveWithinDays,
    caseMergeWindowDays: config.caseMergeWindowDays,
    relabelling: config.relabelling,
    batchSize: BATCH_SIZE,
    frequencyWalk: DEFAULT_WALK,
  };
}

/**
 * One sweep: every registered job, each in its own transactions, at the clock's current instant.
 * Idempotent and safe to run on several instances at once; returns the flags each job raised. The server
 * and the CLI pass `sweepOptions(config)` and the app's audit MAC keys (its flags' entries carry their MAC);
 * a setting left out is its default.
 */
export async function runSweep(
  db: Db,
  clock: Clock,
  { auditMac, ...options }: SweepOptions & { auditMac?: AuditMacKeys } = {},
  jobs: readonly SweepJob[] = SWEEP_JOBS,
): Promise<SweepReport[]> {
  const pass = () => sweepPass(db, clock, options, jobs);
  return auditMac ? withAuditMac(auditMac, pass) : pass();
}

async function sweepPass(db: Db, clock: Clock, options: SweepOptions, jobs: readonly SweepJob[]): Promise<SweepReport[]> {
  const at = clock.now();
  const ctx: SweepContext = { at, today: shanghaiDate(at), options: { ...sweepOptions(defaultSettings()), ...options } };
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
