/**
 * The choice Art. 13 ¶2 leaves open for special plans, read once at boot into Config.specialPlans
 * (src/config/config.ts: SPECIAL_PLAN_VERTICAL_GOVERNMENT_APPROVAL).
 */
export interface SpecialPlanSettings {
  /**
   * 经同级人民政府或者实行垂直管理的上级主管部门批准: an agency under the local government is approved by
   * the government at its level, a vertically managed one (实行垂直管理) by its upper authority — the
   * local government does not lead it, so by default its approval is not the one the article names for it.
   * Where vertical management stops below the province (省以下垂直管理) and the local government also
   * approves such plans, setting this to true accepts the same-level government's approval for a vertically
   * managed agency as well. An agency that is not vertically managed is never approved by an upper authority.
   */
  verticalGovernmentApproval: boolean;
}

export const DEFAULT_SPECIAL_PLAN_SETTINGS: SpecialPlanSettings = { verticalGovernmentApproval: false };
