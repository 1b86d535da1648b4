import { sql } from 'drizzle-orm';
import { boolean, date, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { agencyRef, enterpriseRef } from './registry.js';

/**
 * What the public learns about a revoked code: a category, never the free-text reason (src/codes/revocation.ts
 * gives their words). Defined here so the schema imports no domain code.
 */
export const REVOCATION_CATEGORIES = ['inspection_cancelled', 'team_changed', 'schedule_changed', 'issued_in_error', 'other'] as const;

export interface Inspector {
  name: string;
  certificateNo: string;
  officerId?: string;
}

/**
 * An inspection (Art. 9, 16–25). The row holds its machine state; the facts the guards need are
 * columns so every guard can be re-checked inside the issuing transaction. `countedDate` is the Shanghai
 * date the inspection counts on for frequency caps; `countsTowardCap` is false for case inspections and
 * upper-deployed special ones (Art. 15).
 */
export const inspections = pgTable(
  'inspections',
  {
    id: uuid('id').primaryKey(),
    agencyCode: agencyRef('agency_code'),
    enterpriseCode: enterpriseRef(),
    kind: text('kind', { enum: ['routine', 'special', 'case'] }).notNull(),
    mode: text('mode', { enum: ['onsite', 'offsite'] }).notNull(),
    state: text('state').notNull(),
    matterCodes: text('matter_codes').array().notNull(),
    planId: uuid('plan_id'),
    /**
     * Which plan item covers each matter of a routine inspection (Art. 13, 16): plan, filed revision and
     * item id, written by the plan guard at drafting and again at code issuance.
     */
    planCoverage: jsonb('plan_coverage').$type<PlanCoverageRecord[]>(),
    specialPlanId: uuid('special_plan_id'),
    leadKind: text('lead_kind'),
    leadRef: text('lead_ref'),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    windowEnd: timestamp('window_end', { withTimezone: true }).notNull(),
    countedDate: date('counted_date', { mode: 'string' }).notNull(),
    countsTowardCap: boolean('counts_toward_cap').notNull().default(true),
    inspectors: jsonb('inspectors').$type<Inspector[]>().notNull(),
    checklist: jsonb('checklist').$type<string[]>().notNull(),
    /** Art. 18(1): the legal basis when fewer than two inspectors are allowed. */
    teamExceptionBasis: text('team_exception_basis'),
    /** Art. 12: the recorded assistance arrangement for an out-of-territory inspection. */
    assistanceRef: text('assistance_ref'),
    /** Art. 11 ¶2: the ground for escalating above the lowest statutory level (src/visits/escalation.ts). */
    escalationGround: text('escalation_ground'),
    /** Art. 11 ¶2: the designation, assignment or upper authority's rule the escalation rests on. */
    escalationRef: text('escalation_ref'),
    /** Art. 32: why an off-site inspection will not serve an off-site-capable matter. */
    onsiteReason: text('onsite_reason'),
    /**
     * Why the officer submitted the scheme although the pre-check failed some rules (issue 24): evidence
     * the head reads before approving and supervisors see afterwards, kept as its own field.
     */
    failedChecksReason: text('failed_checks_reason'),
    /**
     * Art. 32 (非现场检查不能或者难以达到行政检查目的的，应当及时进行现场检查): why an on-site visit follows up a
     * plan item of the off-site method. Its own field, apart from `onsiteReason`, because it widens plan coverage
     * (an off-site item covers the visit) and so is a declaration the supervisors weigh.
     */
    offsiteFollowUpReason: text('offsite_follow_up_reason'),
    /** Art. 2, 4, 42: the enterprise's scope when the inspection was drafted. */
    entityScope: text('entity_scope').notNull(),
    /** Art. 2: subordinate-unit or SOE-supervision relation (outside the regulation). */
    excludedRelation: text('excluded_relation'),
    approvedBy: text('approved_by'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    findings: jsonb('findings'),
    findingsAt: timestamp('findings_at', { withTimezone: true }),
    outcome: jsonb('outcome'),
    resultNotifiedAt: timestamp('result_notified_at', { withTimezone: true }),
    followUpDue: date('follow_up_due', { mode: 'string' }),
    followUpOf: uuid('follow_up_of'),
    mergedInto: uuid('merged_into'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdBy: text('created_by').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    /**
     * Art. 24, 29: an inspection recorded on an upper-level platform and imported here (src/exchange/imports.ts):
     * the platform (来源系统), its own id, the version of the row (a corrected row is a new version), the hash
     * of the row as last applied (a resent row changes nothing), and the inspection code the platform issued.
     * Null for inspections recorded here.
     */
    sourceSystem: text('source_system'),
    sourceId: text('source_id'),
    sourceVersion: integer('source_version'),
    sourceHash: text('source_hash'),
    sourceCode: text('source_code'),
  },
  (t) => [
    // The hot path of every cap check: one enterprise's inspections in a period.
    index('inspections_enterprise_date_idx').on(t.enterpriseCode, t.countedDate),
    index('inspections_agency_state_idx').on(t.agencyCode, t.state),
    // An agency's list (GET /inspections?agency=…, newest window first): at 10 M rows without it the first page
    // was a parallel scan of the whole table, 5.4 s for a bureau of 770 k (docs/BENCHMARKS.md, 10 M).
    index('inspections_agency_window_idx').on(t.agencyCode, t.windowStart),
    index('inspections_state_idx').on(t.state),
    // The follow-up sweeper (RECTIFICATION_NO_FOLLOWUP) reads due orders and their follow-ups by these.
    index('inspections_follow_up_due_idx').on(t.followUpDue),
    index('inspections_follow_up_of_idx').on(t.followUpOf),
    // The sweeper's NOT_ARCHIVED (Art. 25) walks unarchived inspections by when their result was notified; every other
    // row (archived, or not yet notified) is out of this partial index, so the job no longer scans the year at 10 M.
    index('inspections_unarchived_idx')
      .on(t.resultNotifiedAt, t.id)
      .where(sql`${t.archivedAt} IS NULL AND ${t.resultNotifiedAt} IS NOT NULL`),
    // Case inspections, a small share of the table: CASE_MERGEABLE (Art. 13 ¶3) walks them by date and CASE_RELABELLING
    // (Art. 9, 15) counts an agency's recent ones; without it both read every inspection of the year.
    index('inspections_case_date_idx').on(t.countedDate, t.id).where(sql`${t.kind} = 'case'`),
    uniqueIndex('inspections_source_uq').on(t.sourceSystem, t.sourceId),
  ],
);

/**
 * 检查码 (Art. 17): a short id plus an Ed25519 signature over its facts. One active code per inspection;
 * the public check compares against the stored signature instead of re-verifying it (DESIGN.md).
 */
export const inspectionCodes = pgTable(
  'inspection_codes',
  {
    code: text('code').primaryKey(),
    inspectionId: uuid('inspection_id')
      .notNull()
      .references(() => inspections.id),
    kid: text('kid').notNull(),
    signature: text('signature').notNull(),
    /**
     * The v2 signature (base32) over the packed facts the printed QR carries (src/codes/compact.ts); the packed
     * bytes are rebuilt from `facts`, so only the signature is kept. Null for codes issued before v2.
     */
    compactSignature: text('compact_signature'),
    facts: jsonb('facts').notNull(),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
    validTo: timestamp('valid_to', { withTimezone: true }).notNull(),
    state: text('state', { enum: ['active', 'revoked', 'closed'] }).notNull(),
    /** Internal: the head's own words. The public sees only revokedCategory (src/codes/revocation.ts). */
    revokedReason: text('revoked_reason'),
    revokedCategory: text('revoked_category', { enum: REVOCATION_CATEGORIES }),
    revokedBy: text('revoked_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    issuedBy: text('issued_by').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('inspection_codes_inspection_uq').on(t.inspectionId),
    // JOINT_NOT_COORDINATED's sweeper (Art. 26) starts from the codes issued in the last 30 days.
    index('inspection_codes_issued_idx').on(t.issuedAt),
  ],
);

/** Every scan of a code at the door (Art. 17(2)), accepted or refused. */
export const codeScans = pgTable(
  'code_scans',
  {
    id: uuid('id').primaryKey(),
    code: text('code')
      .notNull()
      .references(() => inspectionCodes.code),
    scannedAt: timestamp('scanned_at', { withTimezone: true }).notNull(),
    byRole: text('by_role').notNull(),
    bySub: text('by_sub').notNull(),
    atEnterprise: text('at_enterprise').notNull(),
    location: text('location'),
    accepted: boolean('accepted').notNull(),
    lateReason: text('late_reason'),
    refusedRule: text('refused_rule'),
    /** 亮码即定位: where the scanning device was, with its user's consent (WGS-84 degrees, accuracy in metres). */
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    accuracyM: doublePrecision('accuracy_m'),
    /** Metres from the enterprise's registered premises, when both are known (SCAN_FAR_FROM_PREMISES setting). */
    distanceM: doublePrecision('distance_m'),
  },
  (t) => [index('code_scans_code_idx').on(t.code)],
);

/** One matter's covering annual-plan item, as recorded on the inspection. */
export interface PlanCoverageRecord {
  matterCode: string;
  planId: string;
  revision: number;
  itemId: string;
  /** The item was in the bureau's filed version; false: reported and waiting on the bureau (Art. 13, 14). Absent on older rows. */
  filed?: boolean;
}
