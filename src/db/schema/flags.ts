import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * The violation register: every detector's flag. Raising is idempotent: one flag per rule, subject and
 * occurrence (the unique index), so two sweepers or a retried request never raise it twice.
 */
export const flags = pgTable(
  'flags',
  {
    id: uuid('id').primaryKey(),
    rule: text('rule').notNull(),
    article: text('article').notNull(),
    severity: text('severity').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    /** Distinguishes repeated occurrences on one subject (e.g. a scan id, a period). */
    occurrence: text('occurrence').notNull().default(''),
    agencyCode: text('agency_code'),
    enterpriseCode: text('enterprise_code'),
    districtCode: text('district_code'),
    observed: jsonb('observed'),
    limitValue: jsonb('limit_value'),
    detail: text('detail').notNull(),
    evidence: jsonb('evidence').notNull().default({}),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull(),
    state: text('state', { enum: ['open', 'acknowledged', 'resolved', 'dismissed'] }).notNull().default('open'),
    reviewedBy: text('reviewed_by'),
    /** The reviewer's name as the token carried it: readers see a person, not a login subject. */
    reviewedByName: text('reviewed_by_name'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewNote: text('review_note'),
  },
  (t) => [
    uniqueIndex('flags_occurrence_uq').on(t.rule, t.subjectType, t.subjectId, t.occurrence),
    index('flags_agency_idx').on(t.agencyCode),
    index('flags_district_idx').on(t.districtCode),
    index('flags_state_idx').on(t.state, t.raisedAt),
  ],
);
