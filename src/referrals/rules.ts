import { CalendarYearUnpublishedError, type WorkingCalendar } from '../calendar/working-calendar.js';
import { ruleResult, type RuleResult } from '../rules/result.js';
import { isPast, workingDayDeadline } from '../deadlines/working-days.js';

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

export interface ReferralTiming {
  state: string;
  foundOn: string;
  /** Null while 期限待定: nothing can be late against a date not yet known. */
  dueDate: string | null;
  /** Shanghai date it was sent, when it was. */
  sentOn: string | null;
}

/**
 * REFERRAL_OVERDUE (Art. 23): sent after the due date, or still unsent when it has passed. A referral that
 * left the administrative path for a criminal-case transfer before sending is not "unsent".
 */
export function REFERRAL_OVERDUE(r: ReferralTiming, today: string): RuleResult {
  if (r.dueDate === null) return ruleResult('REFERRAL_OVERDUE', true, r.sentOn ?? r.state, 'due date pending');
  const late = r.sentOn !== null ? isPast(r.dueDate, r.sentOn) : r.state === 'opened' && isPast(r.dueDate, today);
  const observed = r.sentOn ?? (r.state === 'opened' ? `unsent on ${today}` : r.state);
  const detail =
    r.sentOn !== null
      ? `违法线索于${r.foundOn}发现，${r.sentOn}才移送，超过第二十三条规定的10个工作日（应于${r.dueDate}前移送）`
      : `违法线索于${r.foundOn}发现，截至${today}仍未移送有管辖权的行政执法主体，已超过第二十三条规定的10个工作日（应于${r.dueDate}前移送）`;
  return ruleResult('REFERRAL_OVERDUE', !late, observed, r.dueDate, detail);
}

/** REFERRAL_REFUSED (Art. 23): the competent agency 应当接收; a refusal is refused and recorded. */
export function REFERRAL_REFUSED(reason: string): RuleResult {
  return ruleResult(
    'REFERRAL_REFUSED',
    false,
    reason,
    'accept, or escalate a dispute over competence to the common superior',
    `有管辖权的行政执法主体应当接收移送（第二十三条），不能拒收；对管辖有争议的，请通过报请共同上级操作办理。拒收理由已记录：${reason}`,
  );
}
