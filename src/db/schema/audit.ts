import { bigint, bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Audit entries are appended inside the command's own transaction and never change (a trigger refuses
 * UPDATE and DELETE). They are chained later, in commit order, by the sealer (audit_chain), so that no
 * single lock is held across every commit (DESIGN.md: a global head row caps writes at ~2.8k/s).
 */
export const auditEntries = pgTable(
  'audit_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull(),
    actor: text('actor').notNull(),
    role: text('role').notNull(),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    agencyCode: text('agency_code'),
    enterpriseCode: text('enterprise_code'),
    districtCode: text('district_code'),
    beforeState: text('before_state'),
    afterState: text('after_state'),
    payload: jsonb('payload').notNull(),
    payloadHash: text('payload_hash').notNull(),
    requestId: text('request_id'),
  },
  (t) => [
    index('audit_entries_subject_idx').on(t.subjectType, t.subjectId),
    index('audit_entries_actor_idx').on(t.actor),
    index('audit_entries_agency_idx').on(t.agencyCode),
    index('audit_entries_time_idx').on(t.occurredAt),
  ],
);

/** The hash chain: seq is the order of sealing; hash = sha256(prev_hash ‖ canonical entry). Append-only. */
export const auditChain = pgTable('audit_chain', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  entryId: bigint('entry_id', { mode: 'number' })
    .notNull()
    .unique()
    .references(() => auditEntries.id),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  sealedAt: timestamp('sealed_at', { withTimezone: true }).notNull(),
});

/** Work queue of committed entries not yet chained; rows are removed once sealed. */
export const auditPending = pgTable('audit_pending', {
  entryId: bigint('entry_id', { mode: 'number' }).primaryKey(),
});
