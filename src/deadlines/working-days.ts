import { CalendarYearUnpublishedError, type WorkingCalendar } from '../calendar/working-calendar.js';
import { DomainError } from '../errors/domain-error.js';
import { addDays } from '../time/shanghai-date.js';

/**
 * Working-day deadlines (Art. 18(5), 23) read from the official calendar, as pure functions over a
 * WorkingCalendar the caller loaded. A deadline is the n-th working day after the day something happened
 * (that day not counted); it is missed once a later day has begun.
 */

/** Runs `fn`, turning "that year's holidays are not published" into the registry error the caller can act on. */
export function onCalendar<T>(calendar: WorkingCalendar, fn: (c: WorkingCalendar) => T): T {
  try {
    return fn(calendar);
  } catch (err) {
    if (err instanceof CalendarYearUnpublishedError) {
      throw new DomainError('CALENDAR_YEAR_UNPUBLISHED', `${err.year} 年的法定节假日安排尚未录入，无法计算工作日期限；请管理员录入该年度安排`, {
        year: err.year,
        knownYears: calendar.knownYears(),
      });
    }
    throw err;
  }
}

export function workingDayDeadline(calendar: WorkingCalendar, from: string, workingDays: number): string {
  return onCalendar(calendar, (c) => c.addWorkingDays(from, workingDays));
}

/** True when `today` is past the deadline (the deadline day itself is still in time). */
export function isPast(deadline: string, today: string): boolean {
  return today > deadline;
}

// A window of n working days never spans more than this many calendar days (the longest holiday is 9 days).
const slack = (n: number) => 2 * n + 30;

/**
 * The latest start day whose n-working-day deadline has passed by `today`: every day on or before it is
 * overdue, every later day is not (addWorkingDays never decreases as the start moves later). The sweeper
 * turns this into one indexed range condition instead of computing a deadline per row.
 */
export function latestOverdueStart(calendar: WorkingCalendar, today: string, workingDays: number): string {
  return onCalendar(calendar, (c) => {
    const yesterday = addDays(today, -1);
    for (let day = yesterday, k = 0; k <= slack(workingDays); day = addDays(day, -1), k++) {
      if (c.addWorkingDays(day, workingDays) <= yesterday) return day;
    }
    throw new RangeError(`no start day found for ${workingDays} working days before ${today}`);
  });
}
