import { asc, eq, isNotNull, sql } from 'drizzle-orm';
import { raiseAdminAlert, resolveAdminAlert } from '../alerts/admin-alerts.js';
import { CalendarService } from '../calendar/calendar-service.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { referrals } from '../db/schema/index.js';
import type { FlagActor } from '../flags/raise.js';
import type { Referral } from './repository.js';
import { applyDue } from './redate.js';
import { referralDue, type ReferralDue } from './rules.js';

/**
 * 期限待定 (Art. 23 with the official calendar): a referral whose 10th working day falls in a year not yet
 * entered is opened with its due date pending, and the administrators are alerted (one alert per missing
 * year, counted up per referral). Entering the year fills every waiting due date in the year-entry
 * transaction and resolves the alert: nothing is computed from a guessed calendar, and nothing waits longer
 * than the administrator takes to enter the year.
 */

// First key of the per-year advisory lock (the second is the year); apart from the keys other modules use.
const PENDING_YEAR_LOCK = 32723;

/**
 * Opening a pending referral and entering its year serialise on this transaction-scoped lock: whichever
 * comes second sees the other's commit (each takes it before the read that matters), so a referral opened
 * while the year is being entered is never left pending with its year already in the calendar.
 */
async function lockPendingYear(tx: Db, year: number): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${PENDING_YEAR_LOCK}, ${year})`);
}

/**
 * For a referral about to be opened with its due date pending: under the year's lock, reads the calendar
 * again in the transaction (the caller's may be a cached copy, or the year may have been entered since) and
 * returns the due date as it now stands. The caller inserts the row, then alerts if it is still pending.
 */
export async function dueUnderLock(tx: Db, due: ReferralDue, foundOn: string): Promise<ReferralDue> {
  if (due.duePendingYear === null) return due;
  await lockPendingYear(tx, due.duePendingYear);
  return referralDue(await new CalendarService(tx).current(), foundOn);
}

export async function alertDuePending(tx: Db, scope: CommandScope, year: number, r: Pick<Referral, 'id' | 'foundOn'>): Promise<void> {
  await raiseAdminAlert(tx, scope, {
    kind: 'calendar_year_missing',
    key: String(year),
    detail: `${year}年法定节假日和调休安排尚未录入：违法线索移送的10个工作日期限（第二十三条）落入该年度，无法计算，现为期限待定；请尽快录入该年度安排，录入后期限即行补定`,
    evidence: { year, firstReferralId: r.id, foundOn: r.foundOn },
  });
}

export interface SettledDueDates {
  /** Referrals whose due date was filled. */
  filled: number;
  /** Still pending, on a later year also missing. */
  stillPending: number;
  /** Already sent after the date now known: flagged REFERRAL_OVERDUE. */
  flaggedLate: number;
}

/**
 * Fills the due dates that waited for `year`, with `calendar` read inside the year-entry transaction (so it
 * includes the year just entered), through applyDue (src/referrals/redate.ts): audited, and flagged when
 * already sent after the date now known.
 */
export async function settlePendingDueDates(tx: Db, scope: CommandScope, actor: FlagActor, calendar: WorkingCalendar, year: number): Promise<SettledDueDates> {
  await lockPendingYear(tx, year);
  const waiting = await tx.select().from(referrals).where(eq(referrals.duePendingYear, year)).orderBy(asc(referrals.createdAt), asc(referrals.id)).for('update');
  const out: SettledDueDates = { filled: 0, stillPending: 0, flaggedLate: 0 };
  for (const r of waiting) {
    const due = referralDue(calendar, r.foundOn);
    const { flagged } = await applyDue(tx, scope, actor, r, due, due.dueDate ? 'referral.due_date_set' : 'referral.due_date_still_pending', { calendarYear: year });
    if (due.duePendingYear !== null) {
      out.stillPending++;
      await alertDuePending(tx, scope, due.duePendingYear, r);
      continue;
    }
    out.filled++;
    if (flagged) out.flaggedLate++;
  }
  await resolveAdminAlert(tx, scope, 'calendar_year_missing', String(year), actor.sub, `${year}年节假日安排已录入，${out.filled}件移送的期限已补定`);
  return out;
}

/**
 * The safety net behind year entry: a pending year that became known without `PUT /calendar/years` (the
 * bundled official data, updated with a release) is settled by the referral-overdue sweeper before it looks
 * for overdue rows. Returns the flags raised for referrals found to have been sent late.
 */
export async function settleKnownPendingYears(tx: Db, scope: CommandScope, actor: FlagActor): Promise<number> {
  const years = await tx.selectDistinct({ year: referrals.duePendingYear }).from(referrals).where(isNotNull(referrals.duePendingYear));
  if (years.length === 0) return 0;
  const calendar = await new CalendarService(tx).current();
  const known = new Set(calendar.knownYears());
  let flagged = 0;
  for (const { year } of years) if (year !== null && known.has(year)) flagged += (await settlePendingDueDates(tx, scope, actor, calendar, year)).flaggedLate;
  return flagged;
}
