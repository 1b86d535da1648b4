import { a, cmd, defineRule, job } from '../define.js';
import { ruleResult, type RuleResult } from '../result.js';
import { REJECT_DECLARATION } from './commands.js';

/** A cooperating unit's answer to a proposed joint visit (src/proposals/answer.ts). */
export interface DeclineFacts {
  unitName: string;
  enterpriseName: string;
  /** The reason picked from the list, or null when none was given. */
  reason: string | null;
  reasons: readonly string[];
}

/**
 * JOINT_PROPOSAL_DECLINED_WITHOUT_REASON (Art. 28: 协同单位应当在监管职责范围内，参与“综合查一次”检查): a unit may
 * decline a visit the engine proposed, but only for a reason the supervisors can weigh; a decline without
 * one still stands and is put before them.
 */
export function JOINT_PROPOSAL_DECLINED_WITHOUT_REASON(f: DeclineFacts): RuleResult {
  return ruleResult(
    'JOINT_PROPOSAL_DECLINED_WITHOUT_REASON',
    f.reason !== null,
    { reason: f.reason },
    { reasons: f.reasons },
    `${f.unitName}拒绝对${f.enterpriseName}的联合检查建议，未说明理由；协同单位应当在监管职责范围内，参与“综合查一次”检查（第二十八条）`,
  );
}

/** A unit's silence on a proposal (src/sweeper/jobs/proposal-lapsed.ts). */
export interface LapseFacts {
  unitName: string;
  enterpriseName: string;
  /** The unit's answer state: 'pending' while it has not answered. */
  unitState: string;
  /** Instants, as PostgreSQL or toISOString writes them. */
  respondBy: string;
  at: string;
  /** The answer period as a setting, in words (settingZh), never as the Order's. */
  periodZh: string;
}

/** JOINT_PROPOSAL_LAPSED (Art. 28): the answer period passed and the unit said nothing. */
export function JOINT_PROPOSAL_LAPSED(f: LapseFacts): RuleResult {
  const silent = f.unitState === 'pending' && Date.parse(f.at) > Date.parse(f.respondBy);
  return ruleResult(
    'JOINT_PROPOSAL_LAPSED',
    !silent,
    silent ? 'no answer' : f.unitState,
    f.respondBy,
    `${f.unitName}对${f.enterpriseName}的联合检查建议逾期未答复，协同单位应当在监管职责范围内参与联合检查（第二十八条）；${f.periodZh}`,
  );
}

// ---- Proposed joint visits (Art. 28): one declaration per rule ----

export const JointProposalDeclinedWithoutReason = defineRule({
  id: 'JOINT_PROPOSAL_DECLINED_WITHOUT_REASON',
  articles: [a(28)],
  kind: 'detector',
  severity: 'medium',
  titleZh: '协同单位拒绝联合检查建议未说明理由',
  titleEn: 'A cooperating unit declined a proposed joint visit without a reason',
  check: JOINT_PROPOSAL_DECLINED_WITHOUT_REASON,
  raisers: { raisedBy: [cmd('declineProposal', 'src/proposals/answer.ts'), REJECT_DECLARATION] },
});

export const JointProposalLapsed = defineRule({
  id: 'JOINT_PROPOSAL_LAPSED',
  articles: [a(28)],
  kind: 'detector',
  severity: 'medium',
  titleZh: '联合检查建议逾期未答复',
  titleEn: 'A unit let a proposed joint visit lapse without an answer',
  check: JOINT_PROPOSAL_LAPSED,
  raisers: { raisedBy: [job('proposal-lapsed')] },
});
