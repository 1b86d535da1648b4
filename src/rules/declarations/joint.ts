import { a, cmd, defineRule, job } from '../define.js';
import { JOINT_CODES, JOINT_FINDINGS, LAUNCH_JOINT } from './commands.js';
import type { Inspector } from '../guard-facts.js';
import { ruleResult, type RuleResult } from '../result.js';
import { settingZh } from '../setting-text.js';

/** Art. 31: 严格控制单次开展检查的执法人员数量 — the configured cap on the officers of one visit. */
export function JOINT_TEAM_TOO_LARGE(team: readonly Inspector[], max: number): RuleResult {
  return ruleResult('JOINT_TEAM_TOO_LARGE', team.length <= max, team.length, max, `单次“综合查一次”检查的执法人员为 ${team.length} 人；${settingZh('单次检查执法人员控制数', max, '人')}，本次超过该控制数；第三十一条要求严格控制单次开展检查的执法人员数量`);
}

// ---- Joint inspection (Art. 26–31): one declaration per rule ----

export const JointNotCoordinated = defineRule({
  id: 'JOINT_NOT_COORDINATED',
  articles: [a(26)],
  kind: 'advice+detector',
  severity: 'medium',
  titleZh: '多个主体同一时期检查同一企业未实行“综合查一次”',
  titleEn: 'Several agencies visited one enterprise without a joint inspection',
  raisers: { raisedBy: [job('joint-not-coordinated'), cmd('afterSingleCode', 'src/visits/joint/part-hooks.ts'), JOINT_CODES] },
});

export const JointListUnapproved = defineRule({
  id: 'JOINT_LIST_UNAPPROVED',
  articles: [a(27)],
  kind: 'guard',
  severity: 'medium',
  titleZh: '“综合查一次”事项清单未经审核、批准和公布',
  titleEn: 'Joint-matter list not reviewed, approved and published',
  raisers: { guardedBy: [LAUNCH_JOINT] },
});

export const JointOffline = defineRule({
  id: 'JOINT_OFFLINE',
  articles: [a(29)],
  kind: 'state_machine',
  severity: 'low',
  titleZh: '“综合查一次”未在平台线上发起和分配',
  titleEn: 'Joint task not launched on the platform',
  raisers: { recordedBy: [LAUNCH_JOINT] },
});

export const JointOneForm = defineRule({
  id: 'JOINT_ONE_FORM',
  articles: [a(30)],
  kind: 'feature',
  severity: 'low',
  titleZh: '“一表通查”综合检查表单',
  titleEn: 'One combined checklist',
  raisers: { recordedBy: [JOINT_FINDINGS] },
});

export const JointTeamTooLarge = defineRule({
  id: 'JOINT_TEAM_TOO_LARGE',
  articles: [a(31)],
  kind: 'guard',
  severity: 'medium',
  titleZh: '单次检查执法人员数量超出控制',
  titleEn: 'Too many officers in one joint visit',
  check: JOINT_TEAM_TOO_LARGE,
  raisers: { guardedBy: [LAUNCH_JOINT, JOINT_CODES] },
});
