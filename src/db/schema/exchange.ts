import { bigint, bigserial, boolean, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The outbox (发件箱) of data exchange (Art. 8, 24, 29): one row per audit entry, written by the same
 * statement that appends the entry (src/audit/append.ts), so a change never commits without its event and
 * a rolled-back change leaves none. Events are offered in the order the audit sealer chains their entries
 * (audit_chain.seq, assigned to committed entries only, one sealer at a time): that order never puts a
 * later-committing event behind a position already handed out, so a reader resuming from its cursor sees
 * no gap and no duplicate (src/exchange/feed.ts). `data` carries only what src/exchange/event-data.ts lets
 * out (no personal data, Art. 8).
 */
export const domainEvents = pgTable(
  'domain_events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull().unique(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull(),
    /** The audit action, e.g. `inspection.drafted`; the CloudEvents type is built from it. */
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    agencyCode: text('agency_code'),
    enterpriseCode: text('enterprise_code'),
    districtCode: text('district_code'),
    data: jsonb('data').notNull(),
    /** The audit entry this event offers; its chain position is the event's feed position. */
    auditEntryId: bigint('audit_entry_id', { mode: 'number' }).notNull().unique(),
  },
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
  /** The feed position (audit chain seq) of the last event the subscriber acknowledged. */
  cursor: bigint('cursor', { mode: 'number' }).notNull().default(0),
  delivered: bigint('delivered', { mode: 'number' }).notNull().default(0),
  failures: integer('failures').notNull().default(0),
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
  lastStatus: integer('last_status'),
  lastError: text('last_error'),
  lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
  lastDeliveredAt: timestamp('last_delivered_at', { withTimezone: true }),
});

/**
 * Events a subscriber's receiver refused WEBHOOK_MAX_ATTEMPTS times in a row (死信): set aside so the
 * subscriber's cursor moves past them and later events flow, instead of one event blocking it for good.
 * The admin lists them, sends one again (`redeliveredAt` once the receiver took it) or moves the cursor.
 */
export const webhookDeadLetters = pgTable(
  'webhook_dead_letters',
  {
    clientId: text('client_id')
      .notNull()
      .references(() => platformClients.id),
    /** The event's feed position (audit chain seq). */
    position: bigint('position', { mode: 'number' }).notNull(),
    eventId: uuid('event_id').notNull(),
    action: text('action').notNull(),
    attempts: integer('attempts').notNull(),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    deadAt: timestamp('dead_at', { withTimezone: true }).notNull(),
    redeliveredAt: timestamp('redelivered_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.position] })],
);
