import { and, eq, isNotNull, lte, sql } from 'drizzle-orm';
import { sealPending } from '../audit/sealer.js';
import type { Db } from '../db/client.js';
import { platformClients, webhookDeadLetters, webhookDeliveries } from '../db/schema/index.js';
import type { Clock } from '../time/clock.js';
import { findClient, type PlatformClient } from './clients.repository.js';
import { toCloudEvent, type EventRow } from './cloud-event.js';
import { readFeed } from './feed.js';
import { backoffMs, type ExchangeSettings } from './settings.js';
import { WebhookAddressRefused } from './webhook-address.js';
import { webhookPoster, type FetchLike } from './webhook-post.js';
import { signWebhook } from './webhook-signature.js';

export type { FetchLike } from './webhook-post.js';

export interface DeliveryPass {
  clientId: string;
  delivered: number;
  failed: boolean;
  /** Events set aside in this pass after WEBHOOK_MAX_ATTEMPTS failures (present only when some were). */
  deadLettered?: number;
}

/** One request's outcome: `stopped` when the subscriber was stopped or the engine is closing (not the receiver's failure). */
export interface Attempt {
  status: number | null;
  error: string | null;
  stopped: boolean;
}

/**
 * Webhook delivery (推送, Art. 8, 29). A pass serves every active subscriber whose next attempt is due, each
 * independently and at once: a receiver that takes its whole WEBHOOK_TIMEOUT_MS per event delays only its
 * own events. A subscriber gets its events after its cursor, in feed order, one request each. A 2xx moves the
 * cursor past the event at once (committed per event, so a crash re-sends at most the one event in flight);
 * anything else stops the subscriber's pass and schedules the next attempt with exponential back-off
 * (`nextAttemptAt` is a durable deadline, as in src/sweeper). After WEBHOOK_MAX_ATTEMPTS failures in a row
 * the event is dead-lettered (webhook_dead_letters) and the cursor moves past it, so one event a receiver
 * always refuses does not block the rest; the admin can send it again or move the cursor.
 *
 * Delivery is at least once, in order; a receiver de-duplicates by `webhook-id` (the CloudEvents id), which
 * makes it exactly once for the receiver. Several instances may run passes at once: a subscriber is claimed
 * by moving its deadline forward (a lease), so only one instance sends to it. A cursor write is conditional
 * on the cursor it started from, so an admin's move is never overwritten by a batch in flight.
 *
 * Stopping: `stop(clientId)` aborts that subscriber's request in flight and ends its batch (deactivation,
 * a new URL, a cursor move); `close()` aborts every one and waits only for the bookkeeping, so shutdown is
 * bounded by a few database writes rather than by receivers. An instance that did not see the stop (another
 * instance deactivated the client) stops at its next event, since each event re-reads the client.
 *
 * Why not a job queue library (pg-boss, graphile-worker): see docs/ARCHITECTURE.md, "Webhook delivery".
 */
export class WebhookDispatcher {
  private readonly inFlight = new Map<string, AbortController>();
  private current: Promise<DeliveryPass[]> | null = null;
  private closed = false;
  private readonly post: FetchLike;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly settings: ExchangeSettings,
    post?: FetchLike,
  ) {
    this.post = post ?? webhookPoster({ allowPrivate: settings.allowPrivate });
  }

  /** One pass; while one runs, the same pass is returned rather than a second started. */
  run(): Promise<DeliveryPass[]> {
    if (this.closed) return Promise.resolve([]);
    this.current ??= this.pass().finally(() => {
      this.current = null;
    });
    return this.current;
  }

  /** Ends the subscriber's batch in flight at once, aborting its request. */
  stop(clientId: string): void {
    this.inFlight.get(clientId)?.abort(new Error('subscriber stopped'));
  }

  /** Aborts every request in flight and waits for the pass's bookkeeping; later passes do nothing. */
  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.inFlight.values()) c.abort(new Error('shutting down'));
    await this.current?.catch(() => undefined);
  }

  private async pass(): Promise<DeliveryPass[]> {
    await sealPending(this.db, this.clock);
    const now = this.clock.now();
    const due = await this.db
      .select({ clientId: webhookDeliveries.clientId })
      .from(webhookDeliveries)
      .innerJoin(platformClients, eq(platformClients.id, webhookDeliveries.clientId))
      .where(and(lte(webhookDeliveries.nextAttemptAt, now), eq(platformClients.active, true), isNotNull(platformClients.webhookUrl)));
    const settled = await Promise.allSettled(due.map(({ clientId }) => this.deliverTo(clientId)));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((r) => (r as PromiseFulfilledResult<DeliveryPass>).value).filter((p) => p.delivered > 0 || p.failed || p.deadLettered);
  }

  /** Sends one event to the client's receiver, with its own time limit, aborted by `stop`. */
  async send(client: PlatformClient, row: EventRow, stop: AbortSignal = new AbortController().signal): Promise<Attempt> {
    const event = toCloudEvent(row, this.settings.eventSource);
    const body = JSON.stringify(event);
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const timeout = AbortSignal.timeout(this.settings.webhookTimeoutMs);
    try {
      const res = await this.post(client.webhookUrl!, {
        method: 'POST',
        headers: {
          'content-type': 'application/cloudevents+json',
          'webhook-id': event.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(client.webhookSecret!, event.id, timestamp, body),
        },
        body,
        signal: AbortSignal.any([stop, timeout]),
      });
      return { status: res.status, error: res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}`, stopped: false };
    } catch (err) {
      if (stop.aborted) return { status: null, error: null, stopped: true };
      if (timeout.aborted || (err as Error).name === 'TimeoutError') return { status: null, error: 'timeout', stopped: false };
      if (err instanceof WebhookAddressRefused) return { status: null, error: err.message, stopped: false };
      return { status: null, error: ((err as { cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code ?? (err as Error).message).slice(0, 200), stopped: false };
    }
  }

  private async deliverTo(clientId: string): Promise<DeliveryPass> {
    const { db, clock, settings: s } = this;
    const now = clock.now();
    const lease = new Date(now.getTime() + s.webhookTimeoutMs * (s.webhookBatch + 1));
    const [claimed] = await db
      .update(webhookDeliveries)
      .set({ nextAttemptAt: lease })
      .where(and(eq(webhookDeliveries.clientId, clientId), lte(webhookDeliveries.nextAttemptAt, now)))
      .returning();
    const client = await findClient(db, clientId);
    const pass: DeliveryPass = { clientId, delivered: 0, failed: false };
    if (!claimed || !client?.active || !client.webhookUrl || !client.webhookSecret) return pass;
    const ctl = new AbortController();
    this.inFlight.get(clientId)?.abort(new Error('superseded'));
    this.inFlight.set(clientId, ctl);
    let cursor = claimed.cursor;
    // Every write is conditional on the cursor this batch last wrote: an admin's move wins.
    const ours = () => and(eq(webhookDeliveries.clientId, clientId), eq(webhookDeliveries.cursor, cursor));
    try {
      const events = await readFeed(db, { eventTypes: client.eventTypes, agencies: client.agencies }, cursor, s.webhookBatch);
      for (const row of events) {
        if (ctl.signal.aborted) break;
        // Stopped on another instance, or given a new address: this batch ends here.
        const currentClient = await findClient(db, clientId);
        if (!currentClient?.active || currentClient.webhookUrl !== client.webhookUrl) break;
        const at = clock.now();
        const attempt = await this.send(client, row, ctl.signal);
        if (attempt.stopped) break;
        if (attempt.error) {
          const failures = claimed.failures + 1;
          if (failures >= s.maxAttempts) {
            await db.transaction(async (tx) => {
              const moved = await tx
                .update(webhookDeliveries)
                .set({ cursor: row.position, failures: 0, lastStatus: attempt.status, lastError: attempt.error, lastAttemptAt: at, nextAttemptAt: clock.now() })
                .where(ours())
                .returning({ clientId: webhookDeliveries.clientId });
              if (moved.length === 0) return;
              await tx
                .insert(webhookDeadLetters)
                .values({ clientId, position: row.position, eventId: row.id, action: row.action, attempts: failures, lastStatus: attempt.status, lastError: attempt.error, deadAt: at })
                .onConflictDoUpdate({
                  target: [webhookDeadLetters.clientId, webhookDeadLetters.position],
                  set: { attempts: failures, lastStatus: attempt.status, lastError: attempt.error, deadAt: at, redeliveredAt: null },
                });
              pass.deadLettered = 1;
            });
          } else {
            await db
              .update(webhookDeliveries)
              .set({ failures, lastStatus: attempt.status, lastError: attempt.error, lastAttemptAt: at, nextAttemptAt: new Date(at.getTime() + backoffMs(s, failures)) })
              .where(ours());
          }
          pass.failed = true;
          return pass;
        }
        const moved = await db
          .update(webhookDeliveries)
          .set({ cursor: row.position, delivered: sql`${webhookDeliveries.delivered} + 1`, failures: 0, lastStatus: attempt.status, lastError: null, lastAttemptAt: at, lastDeliveredAt: at })
          .where(ours())
          .returning({ clientId: webhookDeliveries.clientId });
        if (moved.length === 0) break;
        cursor = row.position;
        claimed.failures = 0;
        pass.delivered += 1;
      }
      // Caught up, a full batch sent, or stopped: due again at once, so the next pass (here or elsewhere) continues.
      await db.update(webhookDeliveries).set({ nextAttemptAt: clock.now() }).where(eq(webhookDeliveries.clientId, clientId));
      return pass;
    } finally {
      if (this.inFlight.get(clientId) === ctl) this.inFlight.delete(clientId);
    }
  }
}

/** One pass with a dispatcher of its own (the CLI and tests); the server keeps one in app.services.webhooks. */
export function deliverWebhooks(db: Db, clock: Clock, settings: ExchangeSettings, fetchImpl?: FetchLike): Promise<DeliveryPass[]> {
  return new WebhookDispatcher(db, clock, settings, fetchImpl).run();
}
