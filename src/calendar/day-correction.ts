import { and, eq, gte, lte } from 'drizzle-orm';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { calendarDays, calendarYears } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import { bundledCalendarData } from './official-data.js';

export type CorrectedKind = 'holiday' | 'rest' | 'workday' | 'ordinary';

export interface DayCorrection {
  date: string;
  /** ordinary: neither a holiday nor an adjusted day (a weekday works, a weekend rests). */
  kind: CorrectedKind;
  name?: string;
  source: string;
}

/**
 * Corrects one day of a year already entered (a typo, or a State Council notice amending one day)
 * without re-entering the whole year. A year known only from the bundled data is first copied into the
 * database, because a year in the database replaces the bundled one as a whole.
 */
export async function correctCalendarDay(tx: Db, { at, audit }: CommandScope, c: DayCorrection): Promise<{ before: string | null }> {
  const year = Number(c.date.slice(0, 4));
  const [stored] = await tx.select().from(calendarYears).where(eq(calendarYears.year, year)).for('update');
  if (!stored) {
    const bundled = bundledCalendarData();
    if (![...bundled.years].includes(year)) {
      throw new DomainError('CALENDAR_YEAR_UNPUBLISHED', `${year} 年的节假日安排尚未录入，不能更正其中一日；请先录入该年度安排`, { year });
    }
    const inYear = ([d]: [string, string]) => d.startsWith(`${year}-`);
    const rows = [
      ...[...bundled.holidays].filter(inYear).map(([day, name]) => ({ day, kind: 'holiday' as const, name })),
      ...[...(bundled.restDays ?? [])].filter(inYear).map(([day, name]) => ({ day, kind: 'rest' as const, name })),
      ...[...bundled.workdays].filter(inYear).map(([day, name]) => ({ day, kind: 'workday' as const, name })),
    ];
    await tx.delete(calendarDays).where(and(gte(calendarDays.day, `${year}-01-01`), lte(calendarDays.day, `${year}-12-31`)));
    await tx.insert(calendarYears).values({ year, source: `内置国务院办公厅节假日安排；${c.source}`, createdAt: at });
    if (rows.length) await tx.insert(calendarDays).values(rows);
  }
  const [old] = await tx.select().from(calendarDays).where(eq(calendarDays.day, c.date));
  await tx.delete(calendarDays).where(eq(calendarDays.day, c.date));
  if (c.kind !== 'ordinary') {
    if (!c.name) throw DomainError.field('body.name', '节假日、调休休息日或调休上班日须写明名称');
    await tx.insert(calendarDays).values({ day: c.date, kind: c.kind, name: c.name });
  }
  await audit({
    action: 'calendar.day_corrected',
    subjectType: 'calendar_year',
    subjectId: String(year),
    before: old?.kind ?? 'ordinary',
    after: c.kind,
    payload: c,
  });
  return { before: old?.kind ?? null };
}
