import type { Schedule } from './schedule.js';

/**
 * The working days full-scale mode drives through the API: `YYYY-MM-DD,…`, or the preset `capacity` — what a
 * capacity planner sizes for:
 *  - the busiest day of the year (most schemes drafted plus visited: the December peak of MONTH_WEIGHT);
 *  - the March plan-season day with the most plans filed (drafts and filings meet the 9 a.m. burst);
 *  - an ordinary June day (the median June day by schemes drafted plus visited).
 */
export function pickDays(spec: string, schedule: Schedule): { day: string; why: string }[] {
  const load = new Map<string, number>(schedule.workdays.map((d) => [d, 0]));
  for (const v of schedule.visits) {
    load.set(v.draftDay, load.get(v.draftDay)! + 1);
    load.set(v.visitDay, load.get(v.visitDay)! + 1);
  }
  if (spec !== 'capacity') {
    const days = spec.split(',').map((d) => d.trim());
    for (const d of days) if (!load.has(d)) throw new Error(`--days: ${d} is not a working day of the replay's year (${schedule.workdays[0]} … ${schedule.workdays.at(-1)})`);
    return days.map((day) => ({ day, why: 'given' }));
  }
  const byLoad = (a: string, b: string) => load.get(b)! - load.get(a)! || a.localeCompare(b);
  const busiest = [...schedule.workdays].sort(byLoad)[0]!;
  const filings = new Map<string, number>();
  for (const d of schedule.filingDay.values()) filings.set(d, (filings.get(d) ?? 0) + 1);
  const march = schedule.workdays.filter((d) => d.slice(5, 7) === '03').sort((a, b) => (filings.get(b) ?? 0) - (filings.get(a) ?? 0) || byLoad(a, b))[0]!;
  const june = schedule.workdays.filter((d) => d.slice(5, 7) === '06').sort(byLoad);
  const ordinary = june[Math.floor(june.length / 2)]!;
  return [
    { day: march, why: `plan season: ${filings.get(march) ?? 0} plans filed, ${load.get(march)} schemes drafted or visited` },
    { day: ordinary, why: `ordinary June day (median of June): ${load.get(ordinary)} schemes drafted or visited` },
    { day: busiest, why: `busiest day of the year: ${load.get(busiest)} schemes drafted or visited` },
  ].sort((a, b) => a.day.localeCompare(b.day));
}
