import { addDays, shanghaiDate } from '../time/shanghai-date.js';
import type { Plan } from './plans.repository.js';

/**
 * The 31 March duty of Art. 13 (于每年3月31日前报同级司法行政部门和上级主管部门备案) is the agency's: it is
 * met by the agency's submission, judged on the Shanghai calendar date. How fast the bureau then files is
 * the bureau's pace (Art. 14 ¶1), shown to supervisors as such and never counted against the agency.
 * Pure functions over the plan row, shared by the submit command, the dashboard and the tests.
 */
export type Standing = Pick<Plan, 'submittedOn' | 'submittedLate'>;

/**
 * The standing after a submission on `today`. A plan filed once, or an amendment being resubmitted, has
 * met the annual duty already (refiling is Art. 14 ¶2's duty). A resubmission after a return keeps the
 * first submission's date while it comes by `resubmitBy`; later, it counts from its own date.
 */
export function standingAfterSubmit(plan: Pick<Plan, 'submittedOn' | 'submittedLate' | 'resubmitBy' | 'filedAt' | 'needsRefiling' | 'deadline'>, today: string): Standing {
  if (plan.filedAt !== null || plan.needsRefiling) return { submittedOn: plan.submittedOn, submittedLate: plan.submittedLate };
  if (plan.submittedOn !== null && plan.resubmitBy !== null && today <= plan.resubmitBy) {
    return { submittedOn: plan.submittedOn, submittedLate: plan.submittedLate };
  }
  return { submittedOn: today, submittedLate: today > plan.deadline };
}

/** The last day a returned plan may be resubmitted and keep its standing (PLAN_RESUBMIT_DAYS). */
export const resubmitDeadline = (returnedOn: string, resubmitDays: number) => addDays(returnedOn, resubmitDays);

export type DutyStatus = 'on_time' | 'late' | 'missing' | 'not_due';

/**
 * Where an agency stands on the year's duty on `today`: on time (a standing submission by 31 March, not
 * lost by a return left unanswered past its period), late (submitted after 31 March), missing (nothing
 * standing and the deadline passed) or not due yet.
 */
export function dutyStatus(
  plan: Pick<Plan, 'state' | 'submittedOn' | 'submittedLate' | 'resubmitBy' | 'filedAt' | 'deadline'> | null,
  deadline: string,
  today: string,
): DutyStatus {
  const lost = plan?.state === 'returned' && plan.filedAt === null && plan.resubmitBy !== null && plan.resubmitBy < today;
  if (plan?.submittedOn && !lost) return plan.submittedLate ? 'late' : 'on_time';
  return today > deadline ? 'missing' : 'not_due';
}

/**
 * Whether the agency has the 31 March duty of `year` at all: Art. 2 applies the Order to 本市行政区域内 agencies, so
 * an agency of a division outside Wuhan has none here; a deactivated agency inspects no more; and an agency
 * registered after 31 March of the year could not report by that day — its first duty is the next year's (a
 * choice: the Order sets no period for a new agency, and a late flag for a date before it existed would be
 * a flag for nothing it did). The sweeper applies the same test in SQL (plan-filing-deadline.ts).
 */
export function hasAnnualDuty(agency: { active: boolean; createdAt: Date; outsideWuhan: boolean }, year: number): boolean {
  if (!agency.active || agency.outsideWuhan) return false;
  return shanghaiDate(agency.createdAt) <= `${year}-03-31`;
}
