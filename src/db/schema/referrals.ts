import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { inspections } from './inspections.js';
import { agencies, agencyRef, enterpriseRef } from './registry.js';

/** One piece of evidence handed over with a referral: a reference and what it shows (no file upload). */
export interface ReferralEvidence {
  kind: 'document' | 'photo' | 'video' | 'record' | 'sample' | 'device_data' | 'other';
  ref: string;
  description: string;
  /** For device data: the monitoring device and when it captured the data (Art. 34–36 checked). */
  deviceId?: string;
  capturedAt?: string;
}

/**
 * 移送 (Art. 23): a violation found outside the finding agency's jurisdiction, referred to the competent
 * agency. `dueDate` (10 working days after `foundOn`, official calendar) is stored when the referral is
 * opened, so the sweeper finds overdue rows by index and a restart loses nothing. `sentOn` is the Shanghai
 * date it was sent, so "sent late" is a column comparison on either database.
 *
 * 期限待定: when the 10th working day falls in a year whose official holiday arrangement is not entered yet
 * (findings made from mid-December), the referral is still opened — the findings must never be lost — with
 * `dueDate` null and `duePendingYear` naming the missing year; entering that year fills the date in the
 * same transaction (src/referrals/pending-due.ts). Exactly one of the two is set (the check constraint).
 */
export const referrals = pgTable(
  'referrals',
  {
    id: uuid('id').primaryKey(),
    /** The finding (referring) agency. */
    agencyCode: agencyRef('agency_code'),
    competentAgencyCode: agencyRef('competent_agency_code'),
    enterpriseCode: enterpriseRef(),
    /** The inspection whose findings opened it (source 'findings'), if any. */
    inspectionId: uuid('inspection_id').references(() => inspections.id),
    source: text('source', { enum: ['findings', 'manual'] }).notNull(),
    description: text('description').notNull(),
    evidence: jsonb('evidence').$type<ReferralEvidence[]>().notNull(),
    foundOn: date('found_on', { mode: 'string' }).notNull(),
    dueDate: date('due_date', { mode: 'string' }),
    /** The year whose official calendar the due date waits for (期限待定), while `dueDate` is null. */
    duePendingYear: integer('due_pending_year'),
    state: text('state').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    sentOn: date('sent_on', { mode: 'string' }),
    sentBy: text('sent_by'),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    receivedBy: text('received_by'),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedBy: text('accepted_by'),
    /** The competent agency's own case number on acceptance (立案号), if it gave one. */
    acceptanceRef: text('acceptance_ref'),
    /** Competence dispute: the common superior it went to, and why (Art. 23 with Art. 11's ground). */
    superiorAgencyCode: text('superior_agency_code').references(() => agencies.code),
    escalationGround: text('escalation_ground'),
    escalatedBy: text('escalated_by'),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    /** Criminal-case transfer (《行政执法机关移送涉嫌犯罪案件的规定》): its own document number and organ. */
    crimeTransferDocNo: text('crime_transfer_doc_no'),
    crimeTransferOrgan: text('crime_transfer_organ'),
    crimeTransferredBy: text('crime_transferred_by'),
    crimeTransferredAt: timestamp('crime_transferred_at', { withTimezone: true }),
    createdBy: text('created_by').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // The sweeper's path: unsent referrals past their due date.
    index('referrals_state_due_idx').on(t.state, t.dueDate),
    index('referrals_agency_idx').on(t.agencyCode),
    index('referrals_competent_idx').on(t.competentAgencyCode, t.state),
    index('referrals_inspection_idx').on(t.inspectionId),
    // Entering a year finds the referrals waiting for it.
    index('referrals_due_pending_idx').on(t.duePendingYear),
    check('referrals_due_date_or_pending_ck', sql`(${t.dueDate} IS NULL) <> (${t.duePendingYear} IS NULL)`),
  ],
);

/**
 * 涉嫌犯罪案件移送 (Art. 23 second sentence, 《行政执法机关移送涉嫌犯罪案件的规定》) of a violation within the
 * transferring agency's own jurisdiction: no administrative referral precedes it, so it is a record of its
 * own rather than a state of a referral (a referral's crime transfer stays on the referral row). The
 * document number is the agency's own 涉嫌犯罪案件移送书 number, unique within the agency; the receiving organ
 * is the 公安机关 named on it; the head who approved it is recorded (规定 第五条).
 */
export const crimeTransfers = pgTable(
  'crime_transfers',
  {
    id: uuid('id').primaryKey(),
    agencyCode: agencyRef('agency_code'),
    enterpriseCode: enterpriseRef(),
    /** The inspection in which the violation was found, if any. */
    inspectionId: uuid('inspection_id').references(() => inspections.id),
    description: text('description').notNull(),
    evidence: jsonb('evidence').$type<ReferralEvidence[]>().notNull(),
    foundOn: date('found_on', { mode: 'string' }).notNull(),
    documentNo: text('document_no').notNull(),
    receivingOrgan: text('receiving_organ').notNull(),
    approvedBy: text('approved_by').notNull(),
    transferredAt: timestamp('transferred_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('crime_transfers_document_uq').on(t.agencyCode, t.documentNo),
    index('crime_transfers_enterprise_idx').on(t.enterpriseCode),
    index('crime_transfers_inspection_idx').on(t.inspectionId),
  ],
);
