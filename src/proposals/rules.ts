import type { ArticleRef } from '../rules/article.js';
import type { RuleDef, RuleKind, Severity } from '../rules/catalog.js';
import type { RuleRaisers } from '../rules/raisers.js';

/**
 * The proposals' rules, spread into the catalogue (src/rules/catalog.ts) and the raisers
 * (src/rules/raisers.ts) by one line each, in the catalogue's `rule(...)` shape.
 * Art. 28: 协同单位应当在监管职责范围内，参与“综合查一次”检查 — a unit the engine proposed a joint visit to
 * answers it: a decline states its reason (from DECLINE_REASONS), and silence past the answer period is seen.
 */
const rule = (id: string, articles: ArticleRef[], kind: RuleKind, severity: Severity, titleZh: string, titleEn: string): RuleDef => ({ id, articles, kind, severity, titleZh, titleEn });
const a = (article: number): ArticleRef => ({ article });

export const PROPOSAL_RULES = [
  rule('JOINT_PROPOSAL_DECLINED_WITHOUT_REASON', [a(28)], 'detector', 'medium', '协同单位拒绝联合检查建议未说明理由', 'A cooperating unit declined a proposed joint visit without a reason'),
  rule('JOINT_PROPOSAL_LAPSED', [a(28)], 'detector', 'medium', '联合检查建议逾期未答复', 'A unit let a proposed joint visit lapse without an answer'),
] as const;

export const PROPOSAL_RAISERS: Record<(typeof PROPOSAL_RULES)[number]['id'], RuleRaisers> = {
  JOINT_PROPOSAL_DECLINED_WITHOUT_REASON: { raisedBy: [{ command: 'declineProposal', file: 'src/proposals/answer.ts' }] },
  JOINT_PROPOSAL_LAPSED: { raisedBy: [{ job: 'proposal-lapsed' }] },
};
