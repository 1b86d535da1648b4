import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { ruleDef } from '../rules/catalog.js';
import type { RuleResult } from '../rules/result.js';
import { currentChecks } from './current-checks.js';
import { outsideOrder } from './order-scope.js';
import type { Inspection } from './repository.js';

/**
 * The head approves the scheme (Art. 17(1)); this engine asks that the approval be given knowingly
 * (issue 24). A scheme whose checks, evaluated now, fail some rule is approved only when the officer has
 * stated why it is submitted anyway (`failedChecksReason`); otherwise the approval is refused and the
 * refusal lists every failed rule with its article, so the head sees them all. This is the platform's
 * policy, not a requirement written in the Order, and the message says so.
 *
 * Judged at approval, not at drafting: the facts (plans, caps, registry) may change between the two, and
 * the head approves the scheme as it stands. What it returns goes into the approval's audit entry, so the
 * supervisors see which failed rules the head approved and on what reason. An inspection outside the
 * Order (Art. 2 ¶2, 4) has none of the Order's checks to explain.
 */
export async function approvedKnowingly(db: Db, i: Inspection): Promise<Record<string, unknown> | undefined> {
  if (outsideOrder(i)) return undefined;
  const failed = (await currentChecks(db, i)).filter((r) => !r.passed);
  if (failed.length === 0) return undefined;
  const reason = i.failedChecksReason?.trim();
  if (!reason) {
    throw new DomainError(
      'FAILED_CHECKS_UNEXPLAINED',
      `检查方案现有规则检查未通过：${failed.map(named).join('；')}。执法人员未说明仍按此方案检查的理由，负责人暂不能批准。本平台要求负责人在知悉全部未通过规则及其理由后批准，请退回方案，由执法人员修改方案或写明理由。`,
      { violations: failed },
    );
  }
  return { failedChecks: failed.map((r) => ({ rule: r.rule, article: r.article, detail: r.detail ?? null })), failedChecksReason: reason };
}

const named = (r: RuleResult) => `${ruleDef(r.rule).titleZh}（${r.article}）`;
