import { and, asc, gte, isNotNull, lte } from 'drizzle-orm';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { referrals } from '../db/schema/index.js';
import type { FlagActor } from '../flags/raise.js';
import { findAgency } from '../registry/agencies.repository.js';
import { updateReferral, type Referral } from './repository.js';
import { flagIfSentLate } from './late-flag.js';
import { referralDue, type ReferralDue } from './rules.js';

/**
 * A stored due date (Art. 23) follows the official calendar it was computed on. When the calendar changes
 * — a pending year entered, an entered year replaced, one day corrected — the referrals it touches are
 * dated again in the same transaction: written, audited, and, when already sent after the date now known,
 * flagged REFERRAL_OVERDUE as the send command would have. A flag raised under the old date stays for the
 * supervisor's review (it is never withdrawn by a recount); one still unsent past the new date is left to
 * the referral-overdue sweeper, as any other.
 */
export async function applyDue(tx: Db, scope: CommandScope, actor: FlagActor, r: Referral, due: ReferralDue, action: string, cause: Record<string, unknown>): Promise<{ after: Referral; flagged: boolean }> {
  const after = await updateReferral(tx, r, due, scope.at);
  const finding = await findAgency(tx, r.agencyCode);
  await scope.audit({
    action,
    subjectType: 'referral',
    subjectId: r.id,
    agencyCode: r.agencyCode,
    enterpriseCode: r.enterpriseCode,
    districtCode: finding?.districtCode ?? null,
    before: r.state,
    after: r.state,
    payload: { foundOn: r.foundOn, dueDateBefore: r.dueDate, dueDate: due.dueDate, duePendingYear: due.duePendingYear, ...cause },
  });
  if (after.sentOn === null || after.dueDate === null) return { after, flagged: false };
  const flagId = await flagIfSentLate(tx, scope.at, { sub: actor.sub, role: actor.role }, after, after.sentOn, finding?.districtCode ?? null, cause);
  return { after, flagged: flagId !== null };
}

/**
 * After days from `from` to `to` changed (a year re-entered, a day corrected): every dated referral whose
 * span from its finding date to its due date reaches into the change is counted again on `calendar` (read
 * inside the same transaction), and those whose date moved are written. Returns how many moved.
 */
export async function redateAfterCalendarChange(tx: Db, scope: CommandScope, actor: FlagActor, calendar: WorkingCalendar, from: string, to: string): Promise<number> {
  const touched = await tx
    .select()
    .from(referrals)
    .where(and(isNotNull(referrals.dueDate), lte(referrals.foundOn, to), gte(referrals.dueDate, from)))
    .orderBy(asc(referrals.createdAt), asc(referrals.id))
    .for('update');
  let moved = 0;
  for (const r of touched) {
    const due = referralDue(calendar, r.foundOn);
    if (due.dueDate === r.dueDate) continue;
    await applyDue(tx, scope, actor, r, due, 'referral.due_date_recounted', { calendarChanged: { from, to } });
    moved++;
  }
  return moved;
}
