import { addDays, isCalendarDate, weekday } from '../time/shanghai-date.js';

/** A year whose official arrangement (国务院办公厅节假日安排) is not known is refused, never guessed. */
export class CalendarYearUnpublishedError extends Error {
  constructor(readonly year: number) {
    super(`no official holiday calendar for ${year}`);
    this.name = 'CalendarYearUnpublishedError';
  }
}

export interface CalendarData {
  /** Years whose official arrangement is known. */
  years: Iterable<number>;
  /** Statutory holidays (法定节假日) with their names. */
  holidays: Iterable<[string, string]>;
  /**
   * Rest days moved by the arrangement (调休休息日): off work, but not statutory holidays; each is paid
   * for by an adjusted working day. Kept apart so a label never calls them 法定节假日.
   */
  restDays?: Iterable<[string, string]>;
  /** Adjusted working days (调休上班日), weekends that are worked. */
  workdays: Iterable<[string, string]>;
}

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'adjusted_rest_day' | 'adjusted_workday';

/** How each kind is called in Chinese administrative text. */
export const DAY_KIND_ZH: Record<DayKind, string> = {
  workday: '工作日',
  weekend: '休息日',
  holiday: '法定节假日',
  adjusted_rest_day: '调休休息日',
  adjusted_workday: '调休上班日',
};

/**
 * Working days in mainland China: Monday–Friday unless a statutory holiday, plus the adjusted working
 * Saturdays and Sundays. Pure: built from data, no I/O.
 */
export class WorkingCalendar {
  private readonly years: Set<number>;
  private readonly holidays: Map<string, string>;
  private readonly workdays: Map<string, string>;
  private readonly restDays: Map<string, string>;

  constructor(data: CalendarData) {
    this.years = new Set(data.years);
    this.holidays = new Map(data.holidays);
    this.workdays = new Map(data.workdays);
    this.restDays = new Map(data.restDays ?? []);
  }

  knownYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  private assertKnown(day: string): void {
    if (!isCalendarDate(day)) throw new RangeError(`not a calendar date: ${day}`);
    const year = Number(day.slice(0, 4));
    if (!this.years.has(year)) throw new CalendarYearUnpublishedError(year);
  }

  dayKind(day: string): DayKind {
    this.assertKnown(day);
    if (this.workdays.has(day)) return 'adjusted_workday';
    if (this.restDays.has(day)) return 'adjusted_rest_day';
    if (this.holidays.has(day)) return 'holiday';
    const wd = weekday(day);
    return wd === 0 || wd === 6 ? 'weekend' : 'workday';
  }

  dayName(day: string): string | undefined {
    return this.workdays.get(day) ?? this.restDays.get(day) ?? this.holidays.get(day);
  }

  isWorkingDay(day: string): boolean {
    const kind = this.dayKind(day);
    return kind === 'workday' || kind === 'adjusted_workday';
  }

  /**
   * The n-th working day after `day` (the day itself is not counted), as Art. 23's "10 个工作日内" is
   * read: a finding on 2026-02-10 must be referred by 2026-03-02.
   */
  addWorkingDays(day: string, n: number): string {
    if (!Number.isInteger(n) || n < 0) throw new RangeError('n must be a non-negative integer');
    this.assertKnown(day);
    let cur = day;
    let left = n;
    while (left > 0) {
      cur = addDays(cur, 1);
      if (this.isWorkingDay(cur)) left--;
    }
    return cur;
  }
}
