/**
 * The two periods Art. 13–14 leave open for annual plans, read once at boot into Config.plans
 * (src/config/config.ts: PLAN_RESUBMIT_DAYS, PLAN_REFILE_DAYS). Both are calendar days in Asia/Shanghai.
 */
export interface PlanSettings {
  /**
   * Art. 14 ¶1: after the bureau returns a plan, the agency 重新调整…并报送备案 but no period is named.
   * A plan resubmitted within this many days of the return keeps its first submission's standing for
   * the 31 March duty (the bureau's return must not make an agency that submitted in time late); a
   * later resubmission counts from its own date. Fifteen days: half a month, long enough to adjust a
   * plan and have the head approve it, short enough that a return is not a way to postpone the duty.
   */
  resubmitDays: number;
  /**
   * Art. 14 ¶2: 应当在检查计划调整后报送备案 — promptly, no number. A plan amended and not submitted
   * again within this many days is flagged PLAN_AMENDED_NOT_REFILED by the sweeper. Fifteen days, the
   * same measure as a resubmission after a return: both are the same work of adjusting and approving.
   */
  refileDays: number;
}

export const DEFAULT_PLAN_SETTINGS: PlanSettings = { resubmitDays: 15, refileDays: 15 };
