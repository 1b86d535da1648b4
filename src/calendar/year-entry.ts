import { and, eq, gte, lte } from 'drizzle-orm';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { calendarDays, calendarYears } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';

export interface YearEntry {
  source: string;
  holidays: { date: string; name: string }[];
  restDays?: { date: string; name: string }[];
  workdays: { date: string; name: string }[];
}

/**
 * Publishes (or replaces) one year's official arrangement inside the caller's transaction, so work that
 * waited for the year (referral due dates, src/referrals/pending-due.ts) is settled in the same commit.
 */
export async function enterCalendarYear(tx: Db, { at, audit }: CommandScope, year: number, body: YearEntry): Promise<{ holidays: number; restDays: number; workdays: number }> {
  const lists = {
    holidays: body.holidays.map((d) => ({ ...d, kind: 'holiday' as const })),
    restDays: (body.restDays ?? []).map((d) => ({ ...d, kind: 'rest' as const })),
    workdays: body.workdays.map((d) => ({ ...d, kind: 'workday' as const })),
  };
  for (const [field, days] of Object.entries(lists)) {
    days.forEach((d, i) => {
      if (!d.date.startsWith(`${year}-`)) throw DomainError.field(`body.${field}[${i}].date`, `不属于 ${year} 年`);
    });
  }
  const all = [...lists.holidays, ...lists.restDays, ...lists.workdays];
  if (new Set(all.map((d) => d.date)).size !== all.length) throw DomainError.field('body', '同一日期不能重复出现');
  await tx.delete(calendarDays).where(and(gte(calendarDays.day, `${year}-01-01`), lte(calendarDays.day, `${year}-12-31`)));
  await tx.delete(calendarYears).where(eq(calendarYears.year, year));
  await tx.insert(calendarYears).values({ year, source: body.source, createdAt: at });
  await tx.insert(calendarDays).values(all.map((d) => ({ day: d.date, kind: d.kind, name: d.name })));
  await audit({ action: 'calendar.year_published', subjectType: 'calendar_year', subjectId: String(year), payload: body });
  return { holidays: lists.holidays.length, restDays: lists.restDays.length, workdays: lists.workdays.length };
}
