import type { SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { RuleId } from '../rules/catalog.js';
import type { RelabellingSettings } from '../declarations/settings.js';
import type { WalkTuning } from './frequency-walk.js';

/**
 * A due-date job of the sweeper (DESIGN.md: durable time). Deadlines are columns; a job selects the rows
 * that are due in one batch, locking them `FOR UPDATE SKIP LOCKED` so several sweepers (several API
 * instances, or the CLI beside a server) split the work instead of waiting on each other, and raises its
 * flags with raiseFlag, whose unique (rule, subject, occurrence) index makes a second raise a no-op.
 */
export interface SweepOptions {
  /** Days a filed plan may wait for publication before PLAN_NOT_PUBLISHED (Art. 14). */
  planPublishWithinDays?: number;
  /** Days an amended plan may wait before it is submitted again (PLAN_REFILE_DAYS, Art. 14 ¶2). */
  planRefileWithinDays?: number;
  /** Working days after the findings to notify the result before RESULT_NOT_NOTIFIED (Art. 18(5)). */
  resultNotifyWorkingDays?: number;
  /** Working days after sending for the competent agency to accept or escalate before REFERRAL_NOT_RECEIVED (Art. 23). */
  referralAcceptWorkingDays?: number;
  /** Days after the enterprise's due date for the agency's follow-up before RECTIFICATION_NO_FOLLOWUP (Art. 20). */
  followUpDays?: number;
  /** Art. 26: visits of two agencies this many days apart without a joint task (JOINT_COORDINATION_DAYS). */
  jointCoordinationDays?: number;
  /** Art. 25: calendar days after the result was notified to archive before NOT_ARCHIVED (ARCHIVE_WITHIN_DAYS). */
  archiveWithinDays?: number;
  /** Art. 13 ¶3: days between a case inspection and a pending planned task that make them mergeable (CASE_MERGE_WINDOW_DAYS). */
  caseMergeWindowDays?: number;
  /** The relabelling detectors' thresholds (src/declarations/settings.ts). */
  relabelling?: RelabellingSettings;
  /** Rows per transaction: short transactions keep row locks brief. */
  batchSize?: number;
  /** When the frequency detectors scan every enterprise instead of listing the changed ones (src/sweeper/frequency-walk.ts). */
  frequencyWalk?: WalkTuning;
}

export interface SweepContext {
  /** The pass's instant, read once from the injected clock. */
  at: Date;
  /** Its Shanghai calendar date. */
  today: string;
  options: Required<SweepOptions>;
}

export interface SweepJob {
  /** Stable name, reported by runSweep and the CLI. */
  name: string;
  /** The rule its flags carry (src/rules/catalog.ts). */
  rule: RuleId;
  /**
   * One batch inside the transaction the runner opened: select at most `limit` due rows (locking them
   * FOR UPDATE SKIP LOCKED, and excluding rows already flagged), raise a flag per row. Returns how many
   * rows it selected and how many flags it raised; the runner stops when a batch selects fewer than
   * `limit`. A job that walks a list it read once per pass (the frequency detectors) says instead whether
   * `more` of it is left, and the runner goes on until it is walked, even past batches that raised nothing.
   */
  runBatch(tx: Db, ctx: SweepContext, limit: number): Promise<{ selected: number; raised: number; more?: boolean }>;
}

/** Rows of a raw query on either driver (both answer `{ rows }`). */
export async function rowsOf<T>(tx: Db, query: SQL): Promise<T[]> {
  const res = await tx.execute(query);
  return (res as unknown as { rows: T[] }).rows;
}
