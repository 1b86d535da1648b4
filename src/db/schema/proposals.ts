import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { type Inspector } from './inspections.js';
import { jointLists, jointTasks } from './joint.js';
import { agencies, enterprises } from './registry.js';

/**
 * A proposed “综合查一次” visit (Art. 26: 应协同尽协同): the engine found one enterprise that two or more
 * agencies' filed plan items (source `plan`) or drafted single visits (source `scheme`) will reach, under a
 * published joint-list entry naming them, and proposes ONE visit. Each unit answers in its app
 * (joint_proposal_units); when every unit has accepted, the lead's acceptance launches a joint task.
 * From plans, one row per (period, enterprise, list entry): re-running the matcher for a quarter proposes nothing
 * twice. From schemes, one OPEN row per (enterprise, list entry): a second draft shows the open one; once it is
 * answered, later drafts in the same quarter may be proposed again.
 */
export const jointProposals = pgTable(
  'joint_proposals',
  {
    id: uuid('id').primaryKey(),
    /** The quarter matched, e.g. `2026Q2`. */
    period: text('period').notNull(),
    source: text('source', { enum: ['plan', 'scheme'] }).notNull(),
    enterpriseCode: text('enterprise_code')
      .notNull()
      .references(() => enterprises.creditCode),
    districtCode: text('district_code').notNull(),
    listId: uuid('list_id')
      .notNull()
      .references(() => jointLists.id),
    listVersion: integer('list_version').notNull(),
    entryCode: text('entry_code').notNull(),
    leadAgencyCode: text('lead_agency_code')
      .notNull()
      .references(() => agencies.code),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    windowEnd: timestamp('window_end', { withTimezone: true }).notNull(),
    /** The joint team cap in force when proposed (JOINT_TEAM_MAX). */
    teamMax: integer('team_max').notNull(),
    /** Lines of the combined form (一表通查) when the entry has one; 0 when it has none. */
    formLines: integer('form_lines').notNull(),
    /** The seed of the class draw that chose this enterprise (null when only named items reached it). */
    seed: text('seed'),
    /** Separate on-site visits the units' items would have made: what one joint visit replaces. */
    separateVisits: integer('separate_visits').notNull(),
    state: text('state', { enum: ['open', 'launched', 'declined', 'lapsed'] }).notNull(),
    /** Units that have not answered by then let the proposal lapse (PROPOSAL_RESPONSE_DAYS). */
    respondBy: timestamp('respond_by', { withTimezone: true }).notNull(),
    jointTaskId: uuid('joint_task_id').references(() => jointTasks.id),
    /** For `scheme` proposals: the drafted single visits that overlap. */
    inspectionIds: text('inspection_ids').array().notNull().default([]),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('joint_proposals_once_uq').on(t.period, t.enterpriseCode, t.listId, t.entryCode).where(sql`source = 'plan'`),
    uniqueIndex('joint_proposals_scheme_open_uq').on(t.enterpriseCode, t.listId, t.entryCode).where(sql`source = 'scheme' AND state = 'open'`),
    index('joint_proposals_state_due_idx').on(t.state, t.respondBy),
    index('joint_proposals_lead_idx').on(t.leadAgencyCode, t.state),
  ],
);

/** Each unit's answer to a proposal: accepted with the officers it sends, declined with a listed reason, or lapsed. */
export const jointProposalUnits = pgTable(
  'joint_proposal_units',
  {
    proposalId: uuid('proposal_id')
      .notNull()
      .references(() => jointProposals.id),
    agencyCode: text('agency_code')
      .notNull()
      .references(() => agencies.code),
    role: text('role', { enum: ['lead', 'cooperating'] }).notNull(),
    matterCodes: text('matter_codes').array().notNull(),
    /** The unit's plan items that reach the enterprise (Art. 28 ¶2: its joint matters are in its plan). */
    planItemIds: text('plan_item_ids').array().notNull().default([]),
    state: text('state', { enum: ['pending', 'accepted', 'declined', 'lapsed'] }).notNull(),
    inspectors: jsonb('inspectors').$type<Inspector[]>().notNull().default([]),
    /** A code of DECLINE_REASONS (src/proposals/decline-reasons.ts), or null: declined without a reason. */
    declineReason: text('decline_reason'),
    declineNote: text('decline_note'),
    decidedBy: text('decided_by'),
    decidedByName: text('decided_by_name'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.agencyCode] }), index('joint_proposal_units_agency_idx').on(t.agencyCode, t.state)],
);
