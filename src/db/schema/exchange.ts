import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, customType, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** PostgreSQL's 64-bit transaction id (xid8), read as its decimal text so no precision is lost. */
const xid8 = customType<{ data: string; driverData: string }>({
  dataType: () => 'xid8',
});

/**
 * The outbox (发件箱) of data exchange (Art. 8, 24, 29): one row per audit entry, written by the same
 * statement that appends the entry (src/audit/append.ts), so a change never commits without its event and
 * a rolled-back change leaves none. `txId` is the writing transaction's id: the pull feed and the webhook
 * delivery read only events of transactions older than every transaction still running (the snapshot's
 * xmin), ordered by (txId, seq), so a reader never passes an event that commits later (no gap on resume).
 * `data` carries only what src/exchange/event-data.ts lets out (no personal data, Art. 8).
 */
export const domainEvents = pgTable(
  'domain_events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull().unique(),
    txId: xid8('tx_id').notNull().default(sql`pg_current_xact_id()`),
    occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull(),
    /** The audit action, e.g. `inspection.drafted`; the CloudEvents type is built from it. */
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    agencyCode: text('agency_code'),
    enterpriseCode: text('enterprise_code'),
    districtCode: text('district_code'),
    data: jsonb('data').notNull(),
    auditEntryId: bigint('audit_entry_id', { mode: 'number' }).notNull(),
  },
  (t) => [index('domain_events_feed_idx').on(t.txId, t.seq)],
);

/**
 * Machine clients (平台客户端) of upper-level and peer platforms: their credential (a hash of a secret shown
 * once), what they may receive (event-type prefixes and agencies, Art. 8: 按需共享) and for which agencies
 * they may submit inspections (Art. 24, 29). An empty list means every type / every agency; `importAgencies`
 * empty means the client may not import.
 */
export const platformClients = pgTable('platform_clients', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** The source system (来源系统) its imported rows are recorded under. */
  sourceSystem: text('source_system').notNull().unique(),
  secretHash: text('secret_hash').notNull(),
  eventTypes: text('event_types').array().notNull(),
  agencies: text('agencies').array().notNull(),
  importAgencies: text('import_agencies').array().notNull(),
  webhookUrl: text('webhook_url'),
  /** HMAC key of its webhook signatures; kept because the engine signs with it. */
  webhookSecret: text('webhook_secret'),
  active: boolean('active').notNull().default(true),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/**
 * Per-subscriber webhook delivery state (投递状态): the cursor of the last event it acknowledged, and the
 * retry schedule (a durable deadline, as in src/sweeper: `nextAttemptAt` survives restarts).
 */
export const webhookDeliveries = pgTable('webhook_deliveries', {
  clientId: text('client_id')
    .primaryKey()
    .references(() => platformClients.id),
  cursorTx: text('cursor_tx').notNull().default('0'),
  cursorSeq: bigint('cursor_seq', { mode: 'number' }).notNull().default(0),
  delivered: bigint('delivered', { mode: 'number' }).notNull().default(0),
  failures: integer('failures').notNull().default(0),
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
  lastStatus: integer('last_status'),
  lastError: text('last_error'),
  lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
  lastDeliveredAt: timestamp('last_delivered_at', { withTimezone: true }),
});
