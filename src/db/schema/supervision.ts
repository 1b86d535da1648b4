import { sql } from 'drizzle-orm';
import { check, customType, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { inspections } from './inspections.js';
import { agencies, districts, enterpriseRef } from './registry.js';

/** bytea as a Buffer on both drivers (pg returns a Buffer, PGlite a Uint8Array). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
  toDriver: (v) => v,
});

/**
 * 企业报告 (Art. 40): an enterprise tells the supervisors about a visit — when, which agency as it was told,
 * what happened, the code shown if any, and the prohibitions it saw. `validCode` is the code that
 * authorised the visit when one was found; without one the report raises DISGUISED_INSPECTION and
 * ONSITE_WITHOUT_CODE. `districtCode` is the enterprise's district when filed (the supervisors' scope).
 */
export const enterpriseReports = pgTable(
  'enterprise_reports',
  {
    id: uuid('id').primaryKey(),
    enterpriseCode: enterpriseRef(),
    districtCode: text('district_code')
      .notNull()
      .references(() => districts.code),
    visitedAt: timestamp('visited_at', { withTimezone: true }).notNull(),
    /** The agency's name as the visitors gave it (free text). */
    agencyText: text('agency_text'),
    agencyCode: text('agency_code').references(() => agencies.code),
    description: text('description').notNull(),
    codeShown: text('code_shown'),
    /** legal_rep_required | gifts_or_meals | designated_intermediary | costs_shifted | repeated_testing */
    prohibitions: text('prohibitions').array().notNull().default([]),
    validCode: text('valid_code'),
    /**
     * The on-site case inspection the agency recorded at this enterprise for the visit's time, when one
     * covers it (Art. 9, 17: a case inspection needs no code, so the visit raises no code flag).
     */
    caseInspectionId: uuid('case_inspection_id').references(() => inspections.id),
    photoContentType: text('photo_content_type'),
    photoBytes: integer('photo_bytes'),
    photoSha256: text('photo_sha256'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('enterprise_reports_enterprise_idx').on(t.enterpriseCode, t.createdAt),
    index('enterprise_reports_district_idx').on(t.districtCode, t.createdAt),
    index('enterprise_reports_agency_idx').on(t.agencyCode),
  ],
);

/** The photo of the notice, apart from the report so lists never load image bytes. */
export const enterpriseReportPhotos = pgTable('enterprise_report_photos', {
  reportId: uuid('report_id')
    .primaryKey()
    .references(() => enterpriseReports.id),
  data: bytea('data').notNull(),
});

/** An enterprise's rating of an inspection it received: once per inspection, after the findings. */
export const inspectionRatings = pgTable(
  'inspection_ratings',
  {
    id: uuid('id').primaryKey(),
    inspectionId: uuid('inspection_id')
      .notNull()
      .references(() => inspections.id),
    enterpriseCode: text('enterprise_code').notNull(),
    agencyCode: text('agency_code').notNull(),
    score: integer('score').notNull(),
    comment: text('comment'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('inspection_ratings_inspection_uq').on(t.inspectionId),
    index('inspection_ratings_agency_idx').on(t.agencyCode, t.createdAt),
    index('inspection_ratings_enterprise_idx').on(t.enterpriseCode),
    check('inspection_ratings_score_ck', sql`${t.score} BETWEEN 1 AND 5`),
  ],
);
