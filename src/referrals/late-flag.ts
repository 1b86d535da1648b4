import type { Db } from '../db/client.js';
import { ReferralOverdue } from '../rules/declarations/referrals.js';
import { raiseFlag, type FlagActor } from '../flags/raise.js';
import type { Referral } from './repository.js';
import { REFERRAL_OVERDUE } from './rules.js';

/**
 * Art. 23: a referral sent after its 10th working day is flagged REFERRAL_OVERDUE against the agency that
 * found the violation — when it is sent, and again when a recount of its due date shows it was sent late.
 * The flag id, or null when it was timely (or the flag was already raised).
 */
export async function flagIfSentLate(
  tx: Db,
  at: Date,
  actor: FlagActor,
  r: Referral,
  sentOn: string,
  districtCode: string | null,
  cause: Record<string, unknown> = {},
): Promise<string | null> {
  const timely = REFERRAL_OVERDUE(r, sentOn);
  if (timely.passed) return null;
  return raiseFlag(tx, at, actor, {
    rule: ReferralOverdue.id,
    subjectType: 'referral',
    subjectId: r.id,
    agencyCode: r.agencyCode,
    enterpriseCode: r.enterpriseCode,
    districtCode,
    observed: timely.observed,
    limit: timely.limit,
    detail: timely.detail!,
    evidence: { referralId: r.id, foundOn: r.foundOn, dueDate: r.dueDate, sentOn, inspectionId: r.inspectionId, ...cause },
  });
}
