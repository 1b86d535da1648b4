import { boolean, date, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { inspections } from './inspections.js';
import { agencyRef, enterpriseRef } from './registry.js';

export interface OffsiteEvidence {
  kind: 'device_data' | 'document' | 'shared_data' | 'platform_record' | 'analysis' | 'other';
  ref: string;
  description: string;
  /** Device data: the device and the capture time (Art. 34–36 are checked against it). */
  deviceId?: string;
  capturedAt?: string;
}

/**
 * 非现场检查 (Art. 16, 32–33, 37): the off-site facts of an inspection whose row (mode 'offsite') lives in
 * `inspections`. Kept in a table of its own, keyed by the inspection id, so the inspections table (and
 * every on-site row) carries no off-site columns; the inspection row is what caps count.
 */
export const offsiteRecords = pgTable(
  'offsite_records',
  {
    inspectionId: uuid('inspection_id')
      .primaryKey()
      .references(() => inspections.id),
    source: text('source', { enum: ['document_review', 'data_sharing', 'monitoring', 'internet_plus', 'big_data'] }).notNull(),
    /** System, data set, period, query or rule set used (Art. 33: a sector's off-site rules, by name). */
    sourceDetails: jsonb('source_details').$type<Record<string, string>>().notNull(),
    observedAt: timestamp('observed_at', { withTimezone: true }).notNull(),
    summary: text('summary').notNull(),
    evidence: jsonb('evidence').$type<OffsiteEvidence[]>().notNull(),
    suspectedViolation: boolean('suspected_violation').notNull(),
    noticeId: uuid('notice_id'),
    /** The on-site case inspection drafted because off-site data could not settle it (Art. 32). */
    onsiteInspectionId: uuid('onsite_inspection_id').references(() => inspections.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('offsite_records_onsite_idx').on(t.onsiteInspectionId)],
);

/**
 * 违法行为告知提示信息 (Art. 37(2)): a plain-language notice to the enterprise about a suspected violation
 * seen in off-site data: what, when, which rule, how to correct, whom to contact. The enterprise reads it
 * and marks it read; the issuing agency sees what it sent.
 */
export const enterpriseNotices = pgTable(
  'enterprise_notices',
  {
    id: uuid('id').primaryKey(),
    rule: text('rule').notNull(),
    article: text('article').notNull(),
    agencyCode: agencyRef('agency_code'),
    enterpriseCode: enterpriseRef(),
    inspectionId: uuid('inspection_id').references(() => inspections.id),
    title: text('title').notNull(),
    observed: text('observed').notNull(),
    observedAt: timestamp('observed_at', { withTimezone: true }).notNull(),
    ruleBasis: text('rule_basis').notNull(),
    howToCorrect: text('how_to_correct').notNull(),
    correctBy: date('correct_by', { mode: 'string' }),
    contact: jsonb('contact').$type<{ department: string; phone: string; name?: string }>().notNull(),
    /** The notice as the enterprise reads it, assembled from the fields above. */
    body: text('body').notNull(),
    issuedBy: text('issued_by').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
    readBy: text('read_by'),
  },
  (t) => [index('enterprise_notices_enterprise_idx').on(t.enterpriseCode, t.issuedAt), index('enterprise_notices_agency_idx').on(t.agencyCode, t.issuedAt)],
);
