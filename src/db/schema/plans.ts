import { boolean, date, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { agencyRef } from './registry.js';

/**
 * 年度日常检查计划 (Art. 13–14): one per agency and year. `deadline` (31 March of the year, Asia/Shanghai)
 * is stored so the sweeper finds due rows by index, not by recomputing. `needsRefiling` is true from an
 * amendment until the plan is filed again (PLAN_AMENDED_NOT_REFILED).
 *
 * The 31 March duty is the agency's (Art. 13: 于每年3月31日前报…备案): `submittedOn` is the Shanghai date
 * that counts for it (the first submission, kept through a return answered by `resubmitBy`), and
 * `submittedLate` says whether that date was after the deadline. `filedLate` only records that the
 * bureau filed after 31 March, which is the bureau's pace, never the agency's violation.
 */
export const plans = pgTable(
  'plans',
  {
    id: uuid('id').primaryKey(),
    agencyCode: agencyRef('agency_code'),
    year: integer('year').notNull(),
    state: text('state', { enum: ['draft', 'submitted', 'returned', 'filed', 'published'] }).notNull(),
    revision: integer('revision').notNull().default(1),
    version: integer('version').notNull().default(1),
    deadline: date('deadline', { mode: 'string' }).notNull(),
    /** The same-level justice bureau that may file or return it, fixed at submission. */
    filingBureauCode: text('filing_bureau_code'),
    /** The upper authority (上级主管部门) it is also reported to. */
    upperAuthorityCode: text('upper_authority_code'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    filedAt: timestamp('filed_at', { withTimezone: true }),
    filedBy: text('filed_by'),
    /** The bureau filed (first time) after the deadline: its own pace, shown to supervisors as such. */
    filedLate: boolean('filed_late').notNull().default(false),
    /** The Shanghai date the annual duty was met by the agency's submission (Art. 13). */
    submittedOn: date('submitted_on', { mode: 'string' }),
    /** `submittedOn` is after the deadline: the agency's violation (PLAN_FILING_DEADLINE). */
    submittedLate: boolean('submitted_late').notNull().default(false),
    returnedReason: text('returned_reason'),
    returnedAt: timestamp('returned_at', { withTimezone: true }),
    /** After a return, resubmitting by this date keeps `submittedOn` (PLAN_RESUBMIT_DAYS). */
    resubmitBy: date('resubmit_by', { mode: 'string' }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    needsRefiling: boolean('needs_refiling').notNull().default(false),
    amendedAt: timestamp('amended_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('plans_agency_year_uq').on(t.agencyCode, t.year),
    index('plans_state_deadline_idx').on(t.state, t.deadline),
  ],
);

/**
 * Every filed version of a plan (Art. 14 ¶2: an adjusted plan is filed again): the items as the bureau
 * filed them, kept so the version in force can be shown and two versions compared. While an amendment
 * waits for filing, the last filed version still covers what the amendment did not change.
 */
export const planVersions = pgTable(
  'plan_versions',
  {
    id: uuid('id').primaryKey(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    filedAt: timestamp('filed_at', { withTimezone: true }).notNull(),
    filedBy: text('filed_by').notNull(),
    /** The plan items as filed (PlanItem rows without planId), in the agency's order. */
    items: jsonb('items').notNull(),
  },
  (t) => [uniqueIndex('plan_versions_plan_revision_uq').on(t.planId, t.revision)],
);

/**
 * A class of enterprises as a filter over the registry (every stated axis must match; an empty or absent
 * axis does not narrow): industry code prefixes (GB/T 4754), licence kinds held (any of), risk classes,
 * districts. With it a class item's population is exact; a class stated only in words stays unmatched.
 */
export interface PlanClassFilter {
  industryPrefixes?: string[];
  licenceKinds?: string[];
  riskClasses?: ('A' | 'B' | 'C' | 'D')[];
  districtCodes?: string[];
}

/** One line of a plan: a matter and how it will be inspected (Art. 13's required content). */
export const planItems = pgTable(
  'plan_items',
  {
    id: uuid('id').primaryKey(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    matterCode: text('matter_code').notNull(),
    legalBasis: text('legal_basis').notNull(),
    /** named: the enterprises listed; class: a class of enterprises sampled at `samplingRatio` (检查比例). */
    targetKind: text('target_kind', { enum: ['named', 'class'] }).notNull(),
    targetEnterprises: text('target_enterprises').array().notNull().default([]),
    targetClass: text('target_class'),
    /** The class as a filter (PlanClassFilter); null: a free-text class, marked 未匹配 (unmatched). */
    classFilter: jsonb('class_filter').$type<PlanClassFilter>(),
    samplingRatio: numeric('sampling_ratio', { precision: 5, scale: 4, mode: 'number' }),
    checkItems: text('check_items').array().notNull().default([]),
    method: text('method', { enum: ['onsite', 'offsite'] }).notNull(),
    /** Planned inspections per enterprise per year (检查频次). */
    frequency: integer('frequency').notNull(),
    necessity: text('necessity').notNull(),
  },
  (t) => [index('plan_items_plan_idx').on(t.planId), index('plan_items_matter_idx').on(t.matterCode)],
);

/**
 * 专项检查计划 (Art. 13): approved by the same-level government or the vertical upper authority, then filed
 * and published. A plan deployed by an upper authority and executed by a lower agency (`deployedFromId`)
 * needs neither approval nor filing again, and does not count toward frequency caps (Art. 15).
 */
export const specialPlans = pgTable(
  'special_plans',
  {
    id: uuid('id').primaryKey(),
    agencyCode: agencyRef('agency_code'),
    title: text('title').notNull(),
    /** The area or field and its prominent problem (某一地区或者领域的突出问题). */
    focus: text('focus').notNull(),
    matterCodes: text('matter_codes').array().notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    state: text('state', { enum: ['draft', 'approved', 'filed', 'returned', 'published', 'deployed'] }).notNull(),
    deployedFromId: uuid('deployed_from_id'),
    /** An upper-level deployment recorded by its issuing authority and document number (Art. 13 ¶2, 15). */
    deploymentAuthority: text('deployment_authority'),
    deploymentDocNo: text('deployment_doc_no'),
    revision: integer('revision').notNull().default(1),
    returnedReason: text('returned_reason'),
    returnedAt: timestamp('returned_at', { withTimezone: true }),
    /** Why the filed plan is being adjusted (Art. 14 ¶2), kept until the adjustment is filed. */
    amendmentReason: text('amendment_reason'),
    /** When the adjustment began: the refiling period (PLAN_REFILE_DAYS) runs from here. */
    amendedAt: timestamp('amended_at', { withTimezone: true }),
    approverKind: text('approver_kind', { enum: ['same_level_government', 'upper_authority'] }),
    approverName: text('approver_name'),
    approvalDocNo: text('approval_doc_no'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    filingBureauCode: text('filing_bureau_code'),
    /** Art. 13 ¶2: 报同级司法行政部门和上级主管部门备案 — the upper authority it is reported to as well. */
    upperAuthorityCode: text('upper_authority_code'),
    filedAt: timestamp('filed_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('special_plans_agency_idx').on(t.agencyCode, t.state)],
);

/**
 * Every filed version of a special plan (Art. 14: 调整后报送备案): its content and approval as the bureau
 * filed it. `publishedAt` is set when that revision was published (Art. 14 ¶1); while an amendment waits
 * for filing, the last published version still covers what the amendment left in place.
 */
export const specialPlanVersions = pgTable(
  'special_plan_versions',
  {
    id: uuid('id').primaryKey(),
    specialPlanId: uuid('special_plan_id')
      .notNull()
      .references(() => specialPlans.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    title: text('title').notNull(),
    focus: text('focus').notNull(),
    matterCodes: text('matter_codes').array().notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    approverKind: text('approver_kind', { enum: ['same_level_government', 'upper_authority'] }),
    approverName: text('approver_name'),
    approvalDocNo: text('approval_doc_no'),
    filingBureauCode: text('filing_bureau_code'),
    upperAuthorityCode: text('upper_authority_code'),
    filedAt: timestamp('filed_at', { withTimezone: true }).notNull(),
    filedBy: text('filed_by').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('special_plan_versions_plan_revision_uq').on(t.specialPlanId, t.revision)],
);

/**
 * Frequency caps are data (Art. 15, 40(10)): published by the State Council, the province or the city,
 * scoped to a matter, a domain or all matters of an agency, over a period, optionally for one risk class.
 */
export const frequencyRules = pgTable(
  'frequency_rules',
  {
    id: uuid('id').primaryKey(),
    /** cap: a guard on routine/special inspections; case_anomaly: a detector threshold for case inspections. */
    kind: text('kind', { enum: ['cap', 'case_anomaly'] }).notNull().default('cap'),
    issuerLevel: text('issuer_level', { enum: ['state_council', 'province', 'city'] }).notNull(),
    issuerName: text('issuer_name').notNull(),
    documentNo: text('document_no').notNull(),
    scopeKind: text('scope_kind', { enum: ['matter', 'domain', 'agency'] }).notNull(),
    /** For scope matter: the matter code; for domain: the domain; for agency: null (all its matters). */
    scopeValue: text('scope_value'),
    /** Restrict to one agency; null = every agency the scope reaches, each counted separately. */
    agencyCode: text('agency_code'),
    period: text('period', { enum: ['year', 'quarter', 'month', 'week'] }).notNull(),
    maxCount: integer('max_count').notNull(),
    /**
     * Inspection modes the published cap counts (Art. 15 caps visits at the door; Art. 32 prefers off-site
     * checks, so off-site ones count only where the published cap says so). Default: on-site only.
     */
    modes: text('modes', { enum: ['onsite', 'offsite'] }).array().notNull().default(['onsite']),
    /** Graded caps: null = every class. */
    riskClass: text('risk_class', { enum: ['A', 'B', 'C', 'D'] }),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    effectiveTo: date('effective_to', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('frequency_rules_scope_idx').on(t.scopeKind, t.scopeValue)],
);

/** 无事不扰: enterprises exempt from routine on-site inspection unless a lead arises (case inspections). */
export const noDisturbList = pgTable(
  'no_disturb_list',
  {
    id: uuid('id').primaryKey(),
    enterpriseCode: text('enterprise_code').notNull(),
    /** null = exempt from every agency's routine inspections. */
    agencyCode: text('agency_code'),
    fromDate: date('from_date', { mode: 'string' }).notNull(),
    toDate: date('to_date', { mode: 'string' }),
    reason: text('reason').notNull(),
    /** The instrument that set up the list (not Order 327): issuer and document number, cited in refusals. */
    basis: text('basis').notNull().default(''),
    listedBy: text('listed_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('no_disturb_enterprise_idx').on(t.enterpriseCode)],
);

