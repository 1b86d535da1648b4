import chineseDays from 'chinese-days';
import { matterInfo, agencyFor, bureauOf, CITY_SHARE, MONTH_WEIGHT, poisson, prng, RISK_CLASSES, weighted, YEAR } from './model.js';
import type { ReplayEnterprise } from './world.js';

/** One routine on-site scheme of the year: drafted, approved and coded on `draftDay`, visited on `visitDay`. */
export interface PlannedVisit {
  n: number;
  agencyCode: string;
  enterprise: ReplayEnterprise;
  matterCode: string;
  draftDay: string;
  visitDay: string;
  /** What the visit finds and does next (drawn up front, so the year is one fixed sequence per seed). */
  outcome: 'no_violation' | 'rectification';
  referral: boolean;
  report: boolean;
  notifyOnTime: boolean;
}

export interface Schedule {
  workdays: string[];
  filingDay: Map<string, string>;
  visits: PlannedVisit[];
}

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/**
 * The year as a fixed list drawn from `seed`: each agency's plan filing day (March, a few in early April),
 * and for every enterprise and every matter of its industry a Poisson number of visits at its risk class's
 * yearly rate, on working days weighted by month (the Chinese working calendar, make-up days included).
 */
export function drawSchedule(seed: number, enterprises: readonly ReplayEnterprise[], agencyCodes: readonly string[]): Schedule {
  const rnd = prng(seed * 31 + 7);
  const workdays = days(`${YEAR}-03-02`, `${YEAR}-12-31`).filter((d) => chineseDays.isWorkday(d));
  const march = workdays.filter((d) => d < `${YEAR}-04-01`);
  const lateApril = workdays.filter((d) => d >= `${YEAR}-04-01` && d <= `${YEAR}-04-10`);
  const filingDay = new Map<string, string>();
  for (const a of agencyCodes) filingDay.set(a, rnd() < 0.05 ? lateApril[Math.floor(rnd() * lateApril.length)]! : march[Math.floor(rnd() * march.length)]!);
  const rate = new Map(RISK_CLASSES.map((r) => [r.cls, r.yearlyRate]));
  const visits: PlannedVisit[] = [];
  for (const e of enterprises) {
    for (const matterCode of e.industry.matters) {
      if (!matterInfo.has(matterCode)) continue;
      const k = poisson(rnd, rate.get(e.riskClass)!);
      for (let j = 0; j < k; j++) {
        const visitIdx = workdays.indexOf(weighted(rnd, workdays, (d) => MONTH_WEIGHT[Number(d.slice(5, 7)) - 1]!));
        const agencyCode = agencyFor(bureauOf(matterCode), e.districtCode, rnd() < CITY_SHARE);
        visits.push({
          n: visits.length,
          agencyCode,
          enterprise: e,
          matterCode,
          draftDay: workdays[Math.max(0, visitIdx - 2)]!,
          visitDay: workdays[visitIdx]!,
          outcome: rnd() < 0.12 ? 'rectification' : 'no_violation',
          referral: rnd() < 0.02,
          report: rnd() < 0.005,
          notifyOnTime: rnd() >= 0.02,
        });
      }
    }
  }
  return { workdays, filingDay, visits };
}
