import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { inspectionCodes, inspections, type Inspector } from './inspections.js';
import { agencyRef, enterpriseRef, enterprises } from './registry.js';

/** One unit of a joint-list entry: the lead (发起单位) or a cooperating unit (协同单位), with its matters. */
export interface JointEntryUnit {
  agencyCode: string;
  role: 'lead' | 'cooperating';
  /** The unit's own matter codes (its published inspection-matter list, Art. 7). */
  matterCodes: string[];
}

/** A checklist item with its standard (检查标准), serving one unit's matter (Art. 27, 30). */
export interface JointEntryItem {
  text: string;
  standard: string;
  agencyCode: string;
  matterCode: string;
}

/** One matter of the “综合查一次”事项清单 (Art. 27): who leads, who cooperates, content, basis, standards. */
export interface JointListEntry {
  /** Stable within the list's versions, e.g. `CY-01`; a task names the entry by it. */
  code: string;
  name: string;
  /** 检查内容 */
  content: string;
  /** 检查依据 */
  basis: string;
  units: JointEntryUnit[];
  items: JointEntryItem[];
}

const PENDING_LIST_STATES = sql`state IN ('proposed', 'returned', 'reviewed', 'approved')`;

/**
 * “综合查一次”事项清单 (Art. 27), one row per version. A series is one authority's list through its
 * versions; at most one version of a series is published and at most one is on its way (partial unique
 * indexes), so two amendments cannot race each other into the approval path.
 */
export const jointLists = pgTable(
  'joint_lists',
  {
    id: uuid('id').primaryKey(),
    seriesId: uuid('series_id').notNull(),
    listVersion: integer('list_version').notNull(),
    title: text('title').notNull(),
    level: text('level', { enum: ['city', 'district'] }).notNull(),
    districtCode: text('district_code'),
    /** The city or district authority (主管部门) that proposes and publishes it. */
    proposerAgencyCode: agencyRef('proposer_agency_code'),
    state: text('state', { enum: ['proposed', 'returned', 'reviewed', 'approved', 'published', 'superseded'] }).notNull(),
    entries: jsonb('entries').$type<JointListEntry[]>().notNull(),
    /** The same-level justice bureau that reviews it, fixed when proposed. */
    reviewBureauCode: text('review_bureau_code').notNull(),
    reviewedBy: text('reviewed_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewOpinion: text('review_opinion'),
    returnedReason: text('returned_reason'),
    /** The same-level government's approval (报本级人民政府批准). */
    approverName: text('approver_name'),
    approvalDocNo: text('approval_doc_no'),
    approvalRecordedBy: text('approval_recorded_by'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    supersededAt: timestamp('superseded_at', { withTimezone: true }),
    supersededById: uuid('superseded_by_id'),
    /** The published version this one adjusts (实行动态调整), and why. */
    amendsId: uuid('amends_id'),
    amendmentReason: text('amendment_reason'),
    createdBy: text('created_by').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('joint_lists_series_version_uq').on(t.seriesId, t.listVersion),
    uniqueIndex('joint_lists_one_published_uq').on(t.seriesId).where(sql`state = 'published'`),
    uniqueIndex('joint_lists_one_pending_uq').on(t.seriesId).where(PENDING_LIST_STATES),
    index('joint_lists_state_idx').on(t.state),
  ],
);

/**
 * A “综合查一次” task (Art. 28–31), launched on the platform from a published list entry (snapshotted, so
 * a later list version does not change a running task), for one or more enterprises in one window.
 */
export const jointTasks = pgTable(
  'joint_tasks',
  {
    id: uuid('id').primaryKey(),
    listId: uuid('list_id')
      .notNull()
      .references(() => jointLists.id),
    listVersion: integer('list_version').notNull(),
    entryCode: text('entry_code').notNull(),
    entry: jsonb('entry').$type<JointListEntry>().notNull(),
    leadAgencyCode: agencyRef('lead_agency_code'),
    enterpriseCodes: text('enterprise_codes').array().notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    windowEnd: timestamp('window_end', { withTimezone: true }).notNull(),
    countedDate: date('counted_date', { mode: 'string' }).notNull(),
    state: text('state', { enum: ['launched', 'approved', 'code_issued', 'closed', 'cancelled'] }).notNull(),
    note: text('note'),
    launchedBy: text('launched_by').notNull(),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    codeIssuedAt: timestamp('code_issued_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelReason: text('cancel_reason'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('joint_tasks_lead_idx').on(t.leadAgencyCode, t.state), index('joint_tasks_state_window_idx').on(t.state, t.windowStart)],
);

/** Each participating unit's part of a task: assignment, answer (with a decline's legal reason), approval. */
export const jointTaskUnits = pgTable(
  'joint_task_units',
  {
    taskId: uuid('task_id')
      .notNull()
      .references(() => jointTasks.id),
    agencyCode: agencyRef('agency_code'),
    role: text('role', { enum: ['lead', 'cooperating'] }).notNull(),
    state: text('state', { enum: ['pending', 'assigned', 'accepted', 'declined', 'approved'] }).notNull(),
    matterCodes: text('matter_codes').array().notNull(),
    /** The officers this unit sends (may be none: Art. 30 lets one team check for several units). */
    inspectors: jsonb('inspectors').$type<Inspector[]>().notNull().default([]),
    escalationGround: text('escalation_ground'),
    assistanceRef: text('assistance_ref'),
    onsiteReason: text('onsite_reason'),
    assignedBy: text('assigned_by'),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    assignNote: text('assign_note'),
    respondedBy: text('responded_by'),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
    declineReason: text('decline_reason'),
    declineLegalBasis: text('decline_legal_basis'),
    approvedBy: text('approved_by'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.agencyCode] }), index('joint_task_units_agency_idx').on(t.agencyCode, t.state)],
);

/**
 * Links a unit's inspection row to its task: one row of that agency per visited enterprise, kind
 * routine, so the frequency caps count a joint visit once per participating agency (Art. 15). These rows
 * never get a code of their own; the visit's one code hangs on the lead unit's row.
 */
export const jointTaskParts = pgTable(
  'joint_task_parts',
  {
    inspectionId: uuid('inspection_id')
      .primaryKey()
      .references(() => inspections.id),
    taskId: uuid('task_id')
      .notNull()
      .references(() => jointTasks.id),
    agencyCode: text('agency_code').notNull(),
    enterpriseCode: text('enterprise_code').notNull(),
    role: text('role', { enum: ['lead', 'cooperating'] }).notNull(),
  },
  (t) => [uniqueIndex('joint_task_parts_unit_uq').on(t.taskId, t.agencyCode, t.enterpriseCode), index('joint_task_parts_task_idx').on(t.taskId, t.enterpriseCode)],
);

/** One visit of a task: one enterprise, one code, one combined checklist with per-item results (Art. 30). */
export const jointVisits = pgTable(
  'joint_visits',
  {
    taskId: uuid('task_id')
      .notNull()
      .references(() => jointTasks.id),
    enterpriseCode: enterpriseRef(),
    code: text('code').references(() => inspectionCodes.code),
    /** The combined checklist with each line's result, as recorded (一表通查). */
    results: jsonb('results'),
    findingsAt: timestamp('findings_at', { withTimezone: true }),
    /** What the enterprise was told: every unit's result, once (Art. 18(5)). */
    notification: jsonb('notification'),
    resultNotifiedAt: timestamp('result_notified_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.enterpriseCode] }), index('joint_visits_code_idx').on(t.code)],
);

/**
 * The coordination advice given when a single on-site inspection was drafted (Art. 26: 应协同尽协同), and
 * the officer's reason for going ahead alone; read back as evidence when JOINT_NOT_COORDINATED is raised.
 */
export const singleVisitCoordination = pgTable('single_visit_coordination', {
  inspectionId: uuid('inspection_id')
    .primaryKey()
    .references(() => inspections.id),
  advice: jsonb('advice').notNull(),
  aloneReason: text('alone_reason'),
  recordedBy: text('recorded_by').notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
});
