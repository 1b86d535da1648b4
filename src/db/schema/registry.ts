import { sql } from 'drizzle-orm';
import { boolean, date, doublePrecision, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * 行政区 / 功能区: Wuhan's 13 administrative districts and its functional zones; `outside` rows are
 * administrative divisions beyond Wuhan (GB/T 2260 code), where agencies and enterprises of an
 * out-of-area inspection (Art. 12) are registered.
 */
export const districts = pgTable('districts', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['administrative', 'functional', 'outside'] }).notNull(),
  sort: integer('sort').notNull().default(0),
});

/** 行政执法主体 (Art. 3): an organ, an authorised organisation or an entrusted organisation. */
export const agencies = pgTable(
  'agencies',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['organ', 'authorised', 'entrusted'] }).notNull(),
    level: text('level', { enum: ['city', 'district'] }).notNull(),
    districtCode: text('district_code').references(() => districts.code),
    parentCode: text('parent_code'),
    isJusticeBureau: boolean('is_justice_bureau').notNull().default(false),
    /** 实行垂直管理: its upper authority may approve its special plans (Art. 13 ¶2). */
    verticallyManaged: boolean('vertically_managed').notNull().default(false),
    /**
     * 国有资产监督管理机构 (Art. 2 ¶2): only such an agency performs SOE-supervision checks, so an
     * `excludedRelation: soe_supervision` declared by any other agency is contradicted by the registry.
     */
    stateAssetSupervisor: boolean('state_asset_supervisor').notNull().default(false),
    /** Statutory domains (职责范围) the agency may inspect in, Art. 3. */
    domains: text('domains').array().notNull().default([]),
    /**
     * 在用: false once the agency is dissolved or merged away. Its officers' and head's tokens stop working
     * at once (src/auth/directory.ts); its records stay for supervision.
     */
    active: boolean('active').notNull().default(true),
    /** Where an enterprise complains about an inspection (投诉举报渠道), printed on the notice (Art. 18(3)). */
    complaintContact: text('complaint_contact'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('agencies_district_idx').on(t.districtCode), index('agencies_parent_idx').on(t.parentCode)],
);

/** 企业 identified by 统一社会信用代码; `scope` is derived from the entity type (Art. 2, 4, 42). */
export const enterprises = pgTable(
  'enterprises',
  {
    creditCode: text('credit_code').primaryKey(),
    name: text('name').notNull(),
    districtCode: text('district_code')
      .notNull()
      .references(() => districts.code),
    address: text('address').notNull(),
    /**
     * Art. 12 with Art. 16 (在企业生产、经营、管理等场所开展): the districts where the enterprise has business premises
     * (经营场所) besides its registered district. A district agency inspecting premises in its own district acts at home.
     */
    premisesDistrictCodes: text('premises_district_codes').array().notNull().default(sql`'{}'::text[]`),
    entityType: text('entity_type').notNull(),
    scope: text('scope', { enum: ['in_scope', 'by_reference', 'out_of_scope'] }).notNull(),
    /** Risk / credit class used by graded frequency caps (A = lowest risk). */
    riskClass: text('risk_class', { enum: ['A', 'B', 'C', 'D'] }),
    /** 国民经济行业分类 (GB/T 4754-2017) code, e.g. `H6210` 正餐服务: what a plan item's class filters on; null when not recorded. */
    industryCode: text('industry_code'),
    /** Kinds of licence held (e.g. `food_business` 食品经营许可证), the other axis of a plan item's class. */
    licenceKinds: text('licence_kinds').array().notNull().default(sql`'{}'::text[]`),
    /** The registered premises (WGS-84 degrees), for the scan's distance check (亮码即定位); null when not surveyed. */
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('enterprises_district_idx').on(t.districtCode)],
);

/** A required column naming an agency (the row's own, the competent one, the lead…): text, not null, a foreign key. */
export const agencyRef = (name: string) => text(name).notNull().references(() => agencies.code);
/** A required column naming an enterprise by its 统一社会信用代码. */
export const enterpriseRef = (name = 'enterprise_code') => text(name).notNull().references(() => enterprises.creditCode);

/**
 * 行政检查事项清单 (Art. 7): one row per version of a matter. A version is drafted, published with an
 * effective date, and later withdrawn or superseded (effective_to closes it). Only published versions
 * whose window covers a date may be inspected on that date.
 */
export const inspectionMatters = pgTable(
  'inspection_matters',
  {
    id: uuid('id').primaryKey(),
    agencyCode: text('agency_code')
      .notNull()
      .references(() => agencies.code),
    matterCode: text('matter_code').notNull(),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    legalBasis: text('legal_basis').notNull(),
    domain: text('domain').notNull(),
    /** Art. 32: an off-site inspection can serve this matter. */
    offsiteCapable: boolean('offsite_capable').notNull().default(false),
    /** Art. 40(7): food and drugs may be tested repeatedly. */
    foodDrug: boolean('food_drug').notNull().default(false),
    state: text('state', { enum: ['draft', 'published', 'withdrawn'] }).notNull(),
    effectiveFrom: date('effective_from', { mode: 'string' }),
    effectiveTo: date('effective_to', { mode: 'string' }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('inspection_matters_version_uq').on(t.agencyCode, t.matterCode, t.version),
    index('inspection_matters_lookup_idx').on(t.agencyCode, t.matterCode, t.state),
  ],
);

/** Official calendar years beyond the bundled data, added by an administrator (no release needed). */
export const calendarYears = pgTable('calendar_years', {
  year: integer('year').primaryKey(),
  source: text('source').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/** Holidays and adjusted working days (调休) of the years in `calendar_years`. */
export const calendarDays = pgTable('calendar_days', {
  day: date('day', { mode: 'string' }).primaryKey(),
  /** holiday 法定节假日 | rest 调休休息日 | workday 调休上班日 (a TypeScript enum only: no migration needed). */
  kind: text('kind', { enum: ['holiday', 'rest', 'workday'] }).notNull(),
  name: text('name').notNull(),
});
