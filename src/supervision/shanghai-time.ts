import { gte, lt, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { addDays, startOfShanghaiDay } from '../time/shanghai-date.js';

/** 2026-04-08T01:00:00Z → 2026-04-08 09:00:00: Shanghai wall-clock time, which Excel and readers take as-is. */
export function shanghaiDateTimeText(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** An instant column within Shanghai calendar days [from, to], both inclusive: [from 00:00, the day after `to` 00:00). */
export function shanghaiDayRange(column: AnyPgColumn, from?: string, to?: string): SQL[] {
  const out: SQL[] = [];
  if (from) out.push(gte(column, startOfShanghaiDay(from)));
  if (to) out.push(lt(column, startOfShanghaiDay(addDays(to, 1))));
  return out;
}
