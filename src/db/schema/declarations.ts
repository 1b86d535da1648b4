import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { agencyRef, enterpriseRef, enterprises } from './registry.js';

/**
 * Relations that take a check out of the Order (Art. 2 ¶2), as the registry holds them: an enterprise under
 * a state-asset supervision body's supervision (国资监管机构所监管企业), or a unit subordinate to an agency
 * (所属单位). `excludedRelation` on an inspection is checked against these rows (src/declarations/excluded-relation.ts).
 */
export const agencyRelations = pgTable(
  'agency_relations',
  {
    agencyCode: agencyRef('agency_code'),
    enterpriseCode: enterpriseRef(),
    relation: text('relation', { enum: ['soe_supervision', 'subordinate_unit'] }).notNull(),
    /** Where the registry took it from (an appointment list, the SASAC's list of supervised enterprises). */
    source: text('source').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('agency_relations_uq').on(t.enterpriseCode, t.relation, t.agencyCode), index('agency_relations_agency_idx').on(t.agencyCode)],
);

/**
 * 声明事项 (the declared-exemption register): a fact a person supplied that relaxes a rule and that the
 * registry could not confirm, put before the agency's own-level supervisors (Art. 6), who confirm or
 * reject it; a rejection raises a flag under the rule it relaxed. One row per kind and subject; `value`
 * holds what was declared (src/declarations/kinds.ts lists the kinds).
 */
export const declarations = pgTable(
  'declarations',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    agencyCode: agencyRef('agency_code'),
    enterpriseCode: text('enterprise_code'),
    districtCode: text('district_code'),
    /** The declaring person (token subject) and their role. */
    declaredBy: text('declared_by').notNull(),
    /** The declaring person's name as the token gave it, for the register (null when it gave none). */
    declaredByName: text('declared_by_name'),
    declaredAt: timestamp('declared_at', { withTimezone: true }).notNull(),
    value: jsonb('value').notNull(),
    /** pending → confirmed | rejected; withdrawn when an amended draft no longer declares it. */
    status: text('status', { enum: ['pending', 'confirmed', 'rejected', 'withdrawn'] }).notNull().default('pending'),
    reviewedBy: text('reviewed_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewNote: text('review_note'),
    flagId: uuid('flag_id'),
  },
  (t) => [
    uniqueIndex('declarations_subject_uq').on(t.kind, t.subjectType, t.subjectId),
    index('declarations_agency_idx').on(t.agencyCode, t.declaredAt),
    index('declarations_status_idx').on(t.status, t.declaredAt),
  ],
);
