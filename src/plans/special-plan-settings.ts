/** Config.specialPlans (SPECIAL_PLAN_VERTICAL_GOVERNMENT_APPROVAL; src/config/config.ts says what it opens). */
export interface SpecialPlanSettings {
  /** Art. 13 ¶2: also accept the same-level government's approval of a vertically managed agency's special plan. */
  verticalGovernmentApproval: boolean;
}
