import { addDays, weekday } from './shanghai-date.js';

export type Period = 'year' | 'quarter' | 'month' | 'week';

export interface PeriodRange {
  start: string;
  end: string;
  /** e.g. 2026, 2026-Q2, 2026-04, week of 2026-04-06 */
  label: string;
  /** The same period as Chinese text writes it, for zh-CN messages: 2026年第二季度, 2026年4月6日至4月12日 */
  labelZh: string;
}

const QUARTER_ZH = ['第一季度', '第二季度', '第三季度', '第四季度'];
const dayZh = (d: string, withYear: boolean) => `${withYear ? `${Number(d.slice(0, 4))}年` : ''}${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

/** The calendar period (Asia/Shanghai dates) containing `day`; weeks run Monday to Sunday. */
export function periodOf(day: string, period: Period): PeriodRange {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  const pad = (n: number) => String(n).padStart(2, '0');
  const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
  switch (period) {
    case 'year':
      return { start: `${y}-01-01`, end: `${y}-12-31`, label: `${y}`, labelZh: `${y}年` };
    case 'quarter': {
      const q = Math.floor((m - 1) / 3);
      const first = q * 3 + 1;
      return { start: `${y}-${pad(first)}-01`, end: `${y}-${pad(first + 2)}-${lastDay(y, first + 2)}`, label: `${y}-Q${q + 1}`, labelZh: `${y}年${QUARTER_ZH[q]}` };
    }
    case 'month':
      return { start: `${y}-${pad(m)}-01`, end: `${y}-${pad(m)}-${lastDay(y, m)}`, label: `${y}-${pad(m)}`, labelZh: `${y}年${m}月` };
    case 'week': {
      const start = addDays(day, -((weekday(day) + 6) % 7));
      const end = addDays(start, 6);
      // A week that crosses into the next year names the year again: 2026年12月28日至2027年1月3日.
      return { start, end, label: `week of ${start}`, labelZh: `${dayZh(start, true)}至${dayZh(end, end.slice(0, 4) !== start.slice(0, 4))}` };
    }
  }
}

export const PERIOD_ZH: Record<Period, string> = { year: '年度', quarter: '季度', month: '月度', week: '周' };
