import { settingZh } from '../rules/setting-text.js';

/**
 * The proposals' tunable numbers. The Order fixes none of them; each is this platform's setting, and a
 * message naming one says so (settingZh).
 */
export const PROPOSAL_SETTINGS = {
  /** Working days a unit has to answer: long enough to consult its schedule, short enough to leave the quarter. */
  responseDays: 5,
  /** Joint visits a unit is proposed per day: a district unit rarely sends more than two teams out at once. */
  perUnitPerDay: 2,
  /** Two drafted single visits this many days apart or closer could have been one (as JOINT_COORDINATION_DAYS). */
  schemeDays: 7,
};

export const responseDaysZh = () => settingZh('答复期限', PROPOSAL_SETTINGS.responseDays, '个工作日');
export const schemeDaysZh = (days: number) => settingZh('现场检查时间相近的天数', days, '日');
