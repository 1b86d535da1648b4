import { describe, expect, it } from 'vitest';
import { bundledCalendarData } from '../../src/calendar/official-data.js';
import { WorkingCalendar } from '../../src/calendar/working-calendar.js';
import { duePendingText, referralDue, REFERRAL_OVERDUE } from '../../src/referrals/rules.js';

const calendar = new WorkingCalendar(bundledCalendarData());

describe('第二十三条 10个工作日期限：所落年度工作日历尚未录入的，期限待定而非拒绝', () => {
  it('dates a finding whose 10th working day is in a known year', () => {
    expect(referralDue(calendar, '2026-12-01')).toEqual({ dueDate: '2026-12-15', duePendingYear: null });
  });

  it('leaves the due date pending, naming the missing year, when the 10th working day runs into it', () => {
    expect(referralDue(calendar, '2026-12-18')).toEqual({ dueDate: null, duePendingYear: 2027 });
    expect(duePendingText(2027)).toBe('期限待定：2027年工作日历尚未录入');
  });

  it('never judges a pending due date late, sent or not', () => {
    const r = { foundOn: '2026-12-18', dueDate: null };
    expect(REFERRAL_OVERDUE({ ...r, state: 'opened', sentOn: null }, '2027-06-01').passed).toBe(true);
    expect(REFERRAL_OVERDUE({ ...r, state: 'sent', sentOn: '2027-03-01' }, '2027-06-01').passed).toBe(true);
  });
});
