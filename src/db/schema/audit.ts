import { bigint, bigserial, index, integer, jsonb, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';

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
    /**
     * HMAC-SHA256 over every other column (and the payload itself) under the application's audit key,
     * which the database never holds (src/audit/mac.ts): a row written by anything but appendAudit — a
     * superuser's INSERT into the queue — has no valid MAC, and verification names it forged. Null on
     * entries written before the MAC existed (chain format 1).
     */
    mac: text('mac'),
    macKid: text('mac_kid'),
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
  /**
   * 1: the first canonical form (no request id, MAC or seal time in the hash); 2: every stored column of
   * the entry and of this row is hashed (src/audit/canonical.ts). Rows sealed before the upgrade stay 1.
   */
  format: smallint('format').notNull().default(1),
});

/**
 * Signed checkpoints (签名检查点): the chain's head (chain_seq, head_hash) at a time, signed by the
 * keyring that signs inspection codes. Published at /.well-known/audit-checkpoints so others keep
 * copies; a truncated tail or a rewritten-and-rehashed stretch no longer matches them. Append-only;
 * `seq` is gapless (assigned under the sealer's lock), so a deleted checkpoint leaves a hole.
 */
export const auditCheckpoints = pgTable('audit_checkpoints', {
  seq: integer('seq').primaryKey(),
  chainSeq: bigint('chain_seq', { mode: 'number' }).notNull(),
  headHash: text('head_hash').notNull(),
  signedAt: timestamp('signed_at', { withTimezone: true, precision: 3 }).notNull(),
  kid: text('kid').notNull(),
  alg: text('alg').notNull(),
  signature: text('signature').notNull(),
  /**
   * The first chain position sealed with append MACs (the recorded switch from format 1), signed with the
   * checkpoint so that moving the switch in the database shows; null on checkpoints signed before it was.
   */
  macFrom: bigint('mac_from', { mode: 'number' }),
});

/**
 * The recorded switch to append MACs (追加认证码启用位置): chain rows before `macFrom` were sealed in format 1
 * (no MAC); every row from it on must carry one, so a row relabelled format 1 there is forged. Written once by
 * the migration that creates it (the head of the chain then), append-only, and signed into every checkpoint.
 */
export const auditFormatSwitch = pgTable('audit_format_switch', {
  id: smallint('id').primaryKey().default(1),
  macFrom: bigint('mac_from', { mode: 'number' }).notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

/**
 * Completed verifications, each signed like a checkpoint, so a routine verification starts from the last
 * verified checkpoint (and a row slipped in by someone without the signing key is ignored).
 */
export const auditVerifications = pgTable('audit_verifications', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  checkpointSeq: integer('checkpoint_seq').notNull(),
  /** The chain position and head hash verified (signed with the record); null on records from before they were. */
  chainSeq: bigint('chain_seq', { mode: 'number' }),
  headHash: text('head_hash'),
  verifiedAt: timestamp('verified_at', { withTimezone: true, precision: 3 }).notNull(),
  kid: text('kid').notNull(),
  signature: text('signature').notNull(),
});

/** Work queue of committed entries not yet chained; rows are removed once sealed. */
export const auditPending = pgTable('audit_pending', {
  entryId: bigint('entry_id', { mode: 'number' }).primaryKey(),
});
