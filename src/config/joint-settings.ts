/**
 * The two tunable numbers of the joint-inspection rules, read once at boot into Config.joint
 * (src/config/config.ts: JOINT_TEAM_MAX, JOINT_COORDINATION_DAYS).
 */
export interface JointSettings {
  /**
   * Art. 31 (严格控制单次开展检查的执法人员数量) gives no number. Six is three units sending two certified
   * officers each (Art. 18(1)'s minimum), the common case of a combined visit; more needs a setting change
   * by the city, not an officer's choice.
   */
  teamMax: number;
  /**
   * Art. 26 (同一时间) gives no number either. Seven days: visits a week apart could as well have been one,
   * and a shorter window misses visits planned in the same week.
   */
  coordinationDays: number;
}

export const DEFAULT_JOINT_SETTINGS: JointSettings = { teamMax: 6, coordinationDays: 7 };
