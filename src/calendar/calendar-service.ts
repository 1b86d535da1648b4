import type { Db } from '../db/client.js';
import { calendarDays, calendarYears } from '../db/schema/index.js';
import { bundledCalendarData } from './official-data.js';
import { WorkingCalendar } from './working-calendar.js';

// Other instances pick up a newly published year within this time; a year is published months ahead.
const CACHE_MS = 60_000;

/**
 * The bundled official data, extended (and for a year it names, replaced) by the years an administrator
 * added to the database, so a new State Council arrangement needs no release.
 */
export class CalendarService {
  private cached?: { at: number; calendar: WorkingCalendar };

  constructor(private readonly db: Db) {}

  async current(): Promise<WorkingCalendar> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.calendar;
    const [years, days] = await Promise.all([this.db.select().from(calendarYears), this.db.select().from(calendarDays)]);
    const override = new Set(years.map((y) => y.year));
    const bundled = bundledCalendarData();
    const keep = ([d]: [string, string]) => !override.has(Number(d.slice(0, 4)));
    const calendar = new WorkingCalendar({
      years: [...bundled.years, ...override],
      holidays: [...[...bundled.holidays].filter(keep), ...days.filter((d) => d.kind === 'holiday').map((d) => [d.day, d.name] as [string, string])],
      restDays: [...[...(bundled.restDays ?? [])].filter(keep), ...days.filter((d) => d.kind === 'rest').map((d) => [d.day, d.name] as [string, string])],
      workdays: [...[...bundled.workdays].filter(keep), ...days.filter((d) => d.kind === 'workday').map((d) => [d.day, d.name] as [string, string])],
    });
    this.cached = { at: Date.now(), calendar };
    return calendar;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}
