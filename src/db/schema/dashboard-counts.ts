import { date, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The supervisors' dashboard counts (src/supervision/dashboard.ts), kept by triggers on `inspections`,
 * `inspection_codes` and `code_scans` (migration h-dash-dashboard-counts) in the transaction of every write,
 * whichever code path made it, so the cards read a few hundred rows per district and year instead of the year's
 * inspections. One row per agency, counted date, kind, mode and window start: the scan-rate card counts only
 * windows that have opened by the time it is asked, and schemes start at a few times of day, so keeping the start
 * costs few rows and spares the card any read of the day's inspections. Only inspections the dashboard counts are
 * in it: carried out (CARRIED_OUT) and under the Order (order-scope.ts). Rows are never deleted: a count may fall
 * to zero.
 */
export const dashboardCounts = pgTable(
  'dashboard_counts',
  {
    agencyCode: text('agency_code').notNull(),
    countedDate: date('counted_date', { mode: 'string' }).notNull(),
    kind: text('kind').notNull(),
    mode: text('mode').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    /** Inspections carried out (the byKind and byAgency cards, the on-site total of the joint rate). */
    inspections: integer('inspections').notNull(),
    /** Of them, with a code (亮码率's denominator). */
    coded: integer('coded').notNull(),
    /** Of those, whose code has at least one accepted scan (亮码率's numerator). */
    scanned: integer('scanned').notNull(),
  },
  (t) => [primaryKey({ name: 'dashboard_counts_pkey', columns: [t.agencyCode, t.countedDate, t.kind, t.mode, t.windowStart] })],
);
