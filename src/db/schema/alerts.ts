import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * Administrator alerts (管理员提醒): conditions only an administrator can clear that hold up the engine's
 * work without breaking a rule of the Order — today, a year whose official holiday arrangement is missing
 * while a working-day deadline falls in it. Not violation flags: no agency did wrong, so they stay out of
 * the supervisors' flag queue. One alert per (kind, key) — e.g. ('calendar_year_missing', '2027') —
 * counted up while the condition recurs, and resolved by the command that clears it, in its transaction.
 */
export const adminAlerts = pgTable(
  'admin_alerts',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind', { enum: ['calendar_year_missing'] }).notNull(),
    key: text('key').notNull(),
    /** zh-CN sentence for the administrator. */
    detail: text('detail').notNull(),
    evidence: jsonb('evidence').notNull().default({}),
    /** How many times the condition was met (e.g. referrals whose due date waits) since it was raised. */
    occurrences: integer('occurrences').notNull().default(1),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull(),
    lastRaisedAt: timestamp('last_raised_at', { withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: text('resolved_by'),
    resolution: text('resolution'),
  },
  (t) => [uniqueIndex('admin_alerts_kind_key_uq').on(t.kind, t.key), index('admin_alerts_open_idx').on(t.resolvedAt, t.raisedAt)],
);
