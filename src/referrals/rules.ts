import { CalendarYearUnpublishedError, type WorkingCalendar } from '../calendar/working-calendar.js';
import { workingDayDeadline } from '../deadlines/working-days.js';

/** Art. 23: 在 10 个工作日内移送有管辖权的行政执法主体. */
export const REFERRAL_WORKING_DAYS = 10;

/** The referral's due date: the 10th working day after the finding date (official holidays and 调休 counted). */
export function referralDueDate(calendar: WorkingCalendar, foundOn: string): string {
  return workingDayDeadline(calendar, foundOn, REFERRAL_WORKING_DAYS);
}

/**
 * The due date, or 期限待定 when the 10th working day runs into a year whose official holiday arrangement is
 * not entered (a finding from mid-December, before the State Council publishes the next year's). The
 * referral is opened either way: the findings are never refused for want of a calendar.
 */
export type ReferralDue = { dueDate: string; duePendingYear: null } | { dueDate: null; duePendingYear: number };

export function referralDue(calendar: WorkingCalendar, foundOn: string): ReferralDue {
  try {
    return { dueDate: calendar.addWorkingDays(foundOn, REFERRAL_WORKING_DAYS), duePendingYear: null };
  } catch (err) {
    if (err instanceof CalendarYearUnpublishedError) return { dueDate: null, duePendingYear: err.year };
    throw err;
  }
}

/** How a pending due date reads in answers and messages. */
export const duePendingText = (year: number) => `期限待定：${year}年工作日历尚未录入`;

/**
 * Art. 23 counts the 10 working days from discovery, so a stated finding date must lie in the span the
 * violation could have been found in: not before the inspection began (when tied to one), not after
 * `latest` (the visit's date for findings, today for a referral opened by hand). Pure: the problem, or null.
 */
export function foundOnProblem(foundOn: string, span: { earliest: string | null; latest: string; latestIs: string }): string | null {
  if (span.earliest !== null && foundOn < span.earliest) return `发现日期不能早于行政检查开始之日（${span.earliest}）`;
  if (foundOn > span.latest) return `发现日期不能晚于${span.latestIs}（${span.latest}）`;
  return null;
}

/** REFERRAL_OVERDUE and REFERRAL_REFUSED are declared in src/rules/declarations/referrals.ts. */
export { REFERRAL_OVERDUE, REFERRAL_REFUSED, type ReferralTiming } from '../rules/declarations/referrals.js';
