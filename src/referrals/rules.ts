import type { WorkingCalendar } from '../calendar/working-calendar.js';
import { ruleResult, type RuleResult } from '../rules/result.js';
import { isPast, workingDayDeadline } from '../deadlines/working-days.js';

/** Art. 23: 在 10 个工作日内移送有管辖权的行政执法主体. */
export const REFERRAL_WORKING_DAYS = 10;

/** The referral's due date: the 10th working day after the finding date (official holidays and 调休 counted). */
export function referralDueDate(calendar: WorkingCalendar, foundOn: string): string {
  return workingDayDeadline(calendar, foundOn, REFERRAL_WORKING_DAYS);
}

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
  dueDate: string;
  /** Shanghai date it was sent, when it was. */
  sentOn: string | null;
}

/**
 * REFERRAL_OVERDUE (Art. 23): sent after the due date, or still unsent when it has passed. A referral that
 * left the administrative path for a criminal-case transfer before sending is not "unsent".
 */
export function REFERRAL_OVERDUE(r: ReferralTiming, today: string): RuleResult {
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
