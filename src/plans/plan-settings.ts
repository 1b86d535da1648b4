/**
 * The two periods Art. 13–14 leave open for annual plans, Config.plans (PLAN_RESUBMIT_DAYS, PLAN_REFILE_DAYS;
 * src/config/config.ts says why each default). Both are calendar days in Asia/Shanghai.
 */
export interface PlanSettings {
  /** Art. 14 ¶1: a returned plan resubmitted within this many days keeps its first submission's standing. */
  resubmitDays: number;
  /** Art. 14 ¶2: an amended plan not submitted again within this many days is flagged PLAN_AMENDED_NOT_REFILED. */
  refileDays: number;
}
