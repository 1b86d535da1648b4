import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { agencies, agencyRef, districts, enterprises } from './registry.js';

/**
 * 电子技术监控设备 (Art. 34–36). `agencyCode` is the agency that sets it up and is responsible for both
 * reviews (Art. 35, 36: 由设置该设备的行政执法主体负责); the owner is that or another agency, or the
 * enterprise the law obliges to install it (Art. 34(2)). The reviews are kept whole (each point with its
 * answer and note); the *_passed_at instants decide whether data captured at a given time is evidence.
 * `internalNote` never leaves the agency (the public list shows location, purpose and agency only).
 */
export const monitoringDevices = pgTable(
  'monitoring_devices',
  {
    id: uuid('id').primaryKey(),
    agencyCode: agencyRef('agency_code'),
    ownerKind: text('owner_kind', { enum: ['agency', 'enterprise'] }).notNull(),
    ownerAgencyCode: text('owner_agency_code').references(() => agencies.code),
    ownerEnterpriseCode: text('owner_enterprise_code').references(() => enterprises.creditCode),
    name: text('name').notNull(),
    location: text('location').notNull(),
    districtCode: text('district_code').references(() => districts.code),
    purpose: text('purpose').notNull(),
    /** The standard it must meet (Art. 34: 符合相关标准). */
    standard: text('standard').notNull(),
    state: text('state').notNull(),
    legalReview: jsonb('legal_review'),
    legalReviewPassedAt: timestamp('legal_review_passed_at', { withTimezone: true }),
    technicalReview: jsonb('technical_review'),
    technicalReviewPassedAt: timestamp('technical_review_passed_at', { withTimezone: true }),
    /** Art. 36(1): 产品质量检验合格证明 number. */
    qualityCertificateNo: text('quality_certificate_no'),
    /** Art. 35(3): whether its data alone may ground a penalty (answered in the legal review). */
    soleEvidenceBasis: boolean('sole_evidence_basis'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /** Where the location was published (公告 number or URL). */
    publicationRef: text('publication_ref'),
    activatedAt: timestamp('activated_at', { withTimezone: true }),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    retiredReason: text('retired_reason'),
    internalNote: text('internal_note'),
    /**
     * Every state the device entered and when (Art. 34, 37): evidence is judged by the state at capture
     * time, and maintenance can come and go several times, so one timestamp per state is not enough.
     */
    stateLog: jsonb('state_log').$type<{ state: string; from: string }[]>().notNull().default([]),
    createdBy: text('created_by').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('monitoring_devices_agency_idx').on(t.agencyCode, t.state), index('monitoring_devices_state_idx').on(t.state)],
);
