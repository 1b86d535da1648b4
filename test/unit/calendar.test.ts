import { describe, expect, it } from 'vitest';
import { bundledCalendarData } from '../../src/calendar/official-data.js';
import { CalendarYearUnpublishedError, WorkingCalendar } from '../../src/calendar/working-calendar.js';

const calendar = new WorkingCalendar(bundledCalendarData());

describe('working-day calendar', () => {
  it('counts 10 working days after 2025-09-26 to 2025-10-16 (National Day, working Sunday 9-28 and Saturday 10-11)', () => {
    expect(calendar.addWorkingDays('2025-09-26', 10)).toBe('2025-10-16');
  });

  it('counts 10 working days after 2026-02-10 to 2026-03-02 (Spring Festival, working Saturdays 2-14 and 2-28)', () => {
    expect(calendar.addWorkingDays('2026-02-10', 10)).toBe('2026-03-02');
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-28')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-17')).toBe(false);
  });

  it('classifies holidays, adjusted working days and weekends', () => {
    expect(calendar.dayKind('2026-10-01')).toBe('holiday');
    expect(calendar.dayKind('2026-02-14')).toBe('adjusted_workday');
    expect(calendar.dayKind('2026-03-07')).toBe('weekend');
    expect(calendar.dayKind('2026-03-09')).toBe('workday');
    expect(calendar.dayName('2026-02-17')).toBe('春节');
  });

  it('refuses a year with no published arrangement instead of treating it as weekdays only', () => {
    expect(() => calendar.isWorkingDay('2031-05-06')).toThrow(CalendarYearUnpublishedError);
    // Counting that runs into an unpublished year is refused too.
    const last = Math.max(...calendar.knownYears());
    expect(() => calendar.addWorkingDays(`${last}-12-28`, 10)).toThrow(CalendarYearUnpublishedError);
  });

  it('takes extra years as data, without a release', () => {
    const extended = new WorkingCalendar({
      years: [2031],
      holidays: [['2031-01-01', '元旦']],
      workdays: [['2031-01-04', '元旦调休上班']],
    });
    expect(extended.isWorkingDay('2031-01-01')).toBe(false);
    expect(extended.isWorkingDay('2031-01-04')).toBe(true);
    expect(extended.addWorkingDays('2031-01-01', 1)).toBe('2031-01-02');
  });

  it('tells a 调休 rest day from a statutory holiday (春节 2026)', () => {
    expect(calendar.dayKind('2026-02-17')).toBe('holiday');
    expect(calendar.dayKind('2026-02-20')).toBe('adjusted_rest_day');
    expect(calendar.isWorkingDay('2026-02-20')).toBe(false);
  });

  it('refuses impossible dates', () => {
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow(RangeError);
  });
});
