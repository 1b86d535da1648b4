import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { flags } from './flags.js';
import { agencies, agencyRef } from './registry.js';

/**
 * 督办 (supervision notices, Art. 6 ¶2): a supervisor sends the agency one of its flags with a deadline and
 * follows the answer. `agencyCode` is the flagged agency (the addressee); `districtCode` its district, so a
 * district bureau sees the notices about its own agencies, as it sees their flags. `dueDate` is a calendar
 * date in Asia/Shanghai chosen by the supervisor.
 */
export const supervisionNotices = pgTable(
  'supervision_notices',
  {
    id: uuid('id').primaryKey(),
    flagId: uuid('flag_id')
      .notNull()
      .references(() => flags.id),
    agencyCode: agencyRef('agency_code'),
    districtCode: text('district_code'),
    /** The bureau that sent it, and the supervisor (login subject, and the name its token carried: there is no register of people, and a
    supervisor reading the notice needs a person, not a subject). */
    issuedByAgency: text('issued_by_agency').notNull(),
    issuedBy: text('issued_by').notNull(),
    issuedByName: text('issued_by_name'),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    dueDate: text('due_date').notNull(),
    request: text('request').notNull(),
    state: text('state', { enum: ['sent', 'answered', 'closed'] }).notNull(),
    answer: text('answer'),
    answeredBy: text('answered_by'),
    answeredByName: text('answered_by_name'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    /** The supervisor's note when accepting or returning the answer. */
    reviewNote: text('review_note'),
    reviewedBy: text('reviewed_by'),
    reviewedByName: text('reviewed_by_name'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
  },
  (t) => [
    index('supervision_notices_agency_idx').on(t.agencyCode, t.state),
    index('supervision_notices_flag_idx').on(t.flagId),
    index('supervision_notices_due_idx').on(t.state, t.dueDate),
  ],
);
