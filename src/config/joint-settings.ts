/** The joint-inspection rules' settings, Config.joint (JOINT_TEAM_MAX, JOINT_COORDINATION_DAYS; src/config/config.ts says why each default). */
export interface JointSettings {
  /** Art. 31: officers of one joint visit at most. */
  teamMax: number;
  /** Art. 26: visits of two agencies this many days apart or closer should have been one joint visit. */
  coordinationDays: number;
}
