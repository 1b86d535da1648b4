import type { CommandContext } from '../commands/command.js';
import { ReferralRefused } from '../rules/declarations/referrals.js';
import { raiseFlag } from '../flags/raise.js';
import { findAgency } from '../registry/agencies.repository.js';
import { findReferral } from './repository.js';

/**
 * REFERRAL_REFUSED (Art. 23: 有管辖权的行政执法主体应当接收): refuseReferral is refused and its transaction rolls
 * back, so the flag is raised here, in a transaction of its own after the refusal (as runCommand records the
 * audit line), so supervisors see the attempt in the flag queue and not only on the audit chain. Once per
 * referral: later attempts add audit lines, not more flags.
 */
export async function flagRefusalAttempt(ctx: CommandContext, referralId: string, reason: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const r = await findReferral(tx, referralId);
    if (!r) return;
    const competent = await findAgency(tx, r.competentAgencyCode);
    await raiseFlag(tx, ctx.clock.now(), { sub: ctx.actor.sub, role: ctx.actor.role }, {
      rule: ReferralRefused.id,
      subjectType: 'referral',
      subjectId: r.id,
      agencyCode: r.competentAgencyCode,
      enterpriseCode: r.enterpriseCode,
      districtCode: competent?.districtCode ?? null,
      observed: reason,
      limit: 'accept, or escalate a dispute over competence to the common superior',
      detail: `${competent?.name ?? r.competentAgencyCode}试图拒收移送的违法线索，有管辖权的行政执法主体应当接收移送（第二十三条）；拒收理由：${reason}`,
      evidence: { referralId: r.id, state: r.state, reason, by: ctx.actor.sub },
    });
  });
}
