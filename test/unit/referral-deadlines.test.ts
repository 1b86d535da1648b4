import { describe, expect, it } from 'vitest';
import { bundledCalendarData } from '../../src/calendar/official-data.js';
import { WorkingCalendar } from '../../src/calendar/working-calendar.js';
import { latestOverdueStart, workingDayDeadline } from '../../src/deadlines/working-days.js';
import { DomainError } from '../../src/errors/domain-error.js';
import { referralDueDate, REFERRAL_OVERDUE, REFERRAL_REFUSED } from '../../src/referrals/rules.js';
import { addDays } from '../../src/time/shanghai-date.js';

const calendar = new WorkingCalendar(bundledCalendarData());

/** Counting by hand, one day at a time: what addWorkingDays must agree with. */
function countByHand(from: string, n: number): string {
  let day = from;
  for (let left = n; left > 0; ) {
    day = addDays(day, 1);
    if (calendar.isWorkingDay(day)) left--;
  }
  return day;
}

describe('referral due dates on the official calendar (Art. 23: 10 个工作日)', () => {
  it('crosses the 2026 Spring Festival: found 2026-02-10, due 2026-03-02', () => {
    // Feb 14 and Feb 28 (Saturdays) are worked; Feb 15–23 are holidays.
    expect(calendar.dayKind('2026-02-14')).toBe('adjusted_workday');
    expect(calendar.dayKind('2026-02-28')).toBe('adjusted_workday');
    expect(referralDueDate(calendar, '2026-02-10')).toBe('2026-03-02');
  });

  it('crosses National Day 2026: found 2026-09-29, due 2026-10-19', () => {
    // Oct 1–7 holidays; Sept 20 (Sunday) and Oct 10 (Saturday) worked. From Sept 29: Sept 30 (1), Oct 8 (2),
    // Oct 9 (3), Oct 10 (4, worked Saturday), Oct 12–16 (5–9), Oct 19 (10).
    expect(calendar.dayKind('2026-09-20')).toBe('adjusted_workday');
    expect(calendar.dayKind('2026-10-10')).toBe('adjusted_workday');
    // Days off either way; the 调休 ones are not called 法定节假日.
    for (let d = 1; d <= 7; d++) expect(['holiday', 'adjusted_rest_day', 'weekend']).toContain(calendar.dayKind(`2026-10-0${d}`));
    expect(referralDueDate(calendar, '2026-09-29')).toBe('2026-10-19');
    expect(countByHand('2026-09-29', 10)).toBe('2026-10-19');
  });

  it('refuses a year whose holidays are not published, naming the error', () => {
    try {
      referralDueDate(calendar, '2031-03-02');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe('CALENDAR_YEAR_UNPUBLISHED');
    }
  });
});

describe('latestOverdueStart: the cut-off the sweeper turns into one range condition', () => {
  it('is the last start day whose deadline is already past, across holidays', () => {
    // Findings on 2026-09-28 with 5 working days: due Oct 10 (a worked Saturday), overdue from Oct 11;
    // on 2026-09-29: due Oct 12, overdue from Oct 13.
    expect(workingDayDeadline(calendar, '2026-09-29', 5)).toBe('2026-10-12');
    expect(workingDayDeadline(calendar, '2026-09-28', 5)).toBe('2026-10-10');
    expect(latestOverdueStart(calendar, '2026-10-11', 5)).toBe('2026-09-28');
    expect(latestOverdueStart(calendar, '2026-10-13', 5)).toBe('2026-09-29');
  });

  it('agrees with computing every deadline one by one, over a whole year', () => {
    for (let today = '2026-01-20'; today < '2026-12-20'; today = addDays(today, 1)) {
      const cut = latestOverdueStart(calendar, today, 5);
      expect(workingDayDeadline(calendar, cut, 5) < today, today).toBe(true);
      expect(workingDayDeadline(calendar, addDays(cut, 1), 5) >= today, today).toBe(true);
    }
  });
});

describe('REFERRAL_OVERDUE and REFERRAL_REFUSED results', () => {
  const r = { foundOn: '2026-02-10', dueDate: '2026-03-02' };

  it('passes on the due date itself and fails the day after, while unsent', () => {
    expect(REFERRAL_OVERDUE({ ...r, state: 'opened', sentOn: null }, '2026-03-02').passed).toBe(true);
    const late = REFERRAL_OVERDUE({ ...r, state: 'opened', sentOn: null }, '2026-03-03');
    expect(late).toMatchObject({ rule: 'REFERRAL_OVERDUE', article: '第二十三条', passed: false, observed: 'unsent on 2026-03-03', limit: '2026-03-02' });
    expect(late.detail).toContain('仍未移送');
  });

  it('judges a sent referral by the day it was sent, not by today', () => {
    expect(REFERRAL_OVERDUE({ ...r, state: 'accepted', sentOn: '2026-03-02' }, '2026-06-01').passed).toBe(true);
    expect(REFERRAL_OVERDUE({ ...r, state: 'sent', sentOn: '2026-03-03' }, '2026-03-03')).toMatchObject({ passed: false, observed: '2026-03-03' });
  });

  it('does not count a criminal-case transfer as unsent', () => {
    expect(REFERRAL_OVERDUE({ ...r, state: 'crime_transferred', sentOn: null }, '2026-04-01').passed).toBe(true);
  });

  it('always fails a refusal, keeping the reason as the observed fact', () => {
    expect(REFERRAL_REFUSED('不属于本单位职责')).toMatchObject({ rule: 'REFERRAL_REFUSED', passed: false, observed: '不属于本单位职责', article: '第二十三条' });
  });
});
