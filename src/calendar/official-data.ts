import { createRequire } from 'node:module';
import type { CalendarData } from './working-calendar.js';

/**
 * The bundled official arrangements come from the `chinese-days` package's data file (holidays and
 * adjusted working days as published by the State Council General Office). Years it covers count as
 * published; later years are added by an administrator (calendar_years / calendar_days tables).
 */
interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  /** 调休: rest days within a holiday break that are paid for by a worked weekend day. */
  inLieuDays: Record<string, string>;
}

const require = createRequire(import.meta.url);
const data = require('chinese-days/dist/chinese-days.json') as ChineseDaysData;

/** "Spring Festival,春节,4" → "春节" */
const zhName = (raw: string) => raw.split(',')[1] ?? raw;

export function bundledCalendarData(): CalendarData {
  const years = new Set<number>();
  for (const day of Object.keys(data.holidays)) years.add(Number(day.slice(0, 4)));
  const inLieu = data.inLieuDays ?? {};
  return {
    years,
    // The package lists every day off in a break as a holiday; the 调休 ones are rest days, not 法定节假日.
    holidays: Object.entries(data.holidays)
      .filter(([d]) => !(d in inLieu))
      .map(([d, n]) => [d, zhName(n)] as [string, string]),
    restDays: Object.entries(inLieu).map(([d, n]) => [d, `${zhName(n)}调休`] as [string, string]),
    workdays: Object.entries(data.workdays).map(([d, n]) => [d, `${zhName(n)}调休上班`] as [string, string]),
  };
}
