import { and, eq, isNotNull, lte, sql } from 'drizzle-orm';
import { sealPending } from '../audit/sealer.js';
import type { Db } from '../db/client.js';
import { platformClients, webhookDeliveries } from '../db/schema/index.js';
import type { Clock } from '../time/clock.js';
import { toCloudEvent } from './cloud-event.js';
import { readFeed } from './feed.js';
import { backoffMs, type ExchangeSettings } from './settings.js';
import { signWebhook } from './webhook-signature.js';

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ status: number }>;

export interface DeliveryPass {
  clientId: string;
  delivered: number;
  failed: boolean;
}

/**
 * One delivery pass (推送): every active subscriber whose next attempt is due gets its events after its
 * cursor, in feed order, one request each. A 2xx moves the cursor past the event at once (committed per
 * event, so a crash re-sends at most the one event in flight); anything else stops the subscriber's pass
 * and schedules the next attempt with exponential back-off (`nextAttemptAt` is a durable deadline, as in
 * src/sweeper). Delivery is therefore at least once, in order; a receiver de-duplicates by `webhook-id`
 * (the CloudEvents id), which makes it exactly once for the receiver. Several instances may run passes at
 * once: a subscriber is claimed by moving its deadline forward (a lease), so only one instance sends to it.
 */
export async function deliverWebhooks(db: Db, clock: Clock, settings: ExchangeSettings, fetchImpl: FetchLike = fetch): Promise<DeliveryPass[]> {
  await sealPending(db, clock);
  const now = clock.now();
  const due = await db
    .select({ clientId: webhookDeliveries.clientId })
    .from(webhookDeliveries)
    .innerJoin(platformClients, eq(platformClients.id, webhookDeliveries.clientId))
    .where(and(lte(webhookDeliveries.nextAttemptAt, now), eq(platformClients.active, true), isNotNull(platformClients.webhookUrl)));
  const passes: DeliveryPass[] = [];
  for (const { clientId } of due) passes.push(await deliverTo(db, clock, settings, fetchImpl, clientId));
  return passes.filter((p) => p.delivered > 0 || p.failed);
}

async function deliverTo(db: Db, clock: Clock, s: ExchangeSettings, fetchImpl: FetchLike, clientId: string): Promise<DeliveryPass> {
  const now = clock.now();
  const lease = new Date(now.getTime() + s.webhookTimeoutMs * (s.webhookBatch + 1));
  const [claimed] = await db
    .update(webhookDeliveries)
    .set({ nextAttemptAt: lease })
    .where(and(eq(webhookDeliveries.clientId, clientId), lte(webhookDeliveries.nextAttemptAt, now)))
    .returning();
  const [client] = await db.select().from(platformClients).where(eq(platformClients.id, clientId));
  const pass: DeliveryPass = { clientId, delivered: 0, failed: false };
  if (!claimed || !client?.webhookUrl || !client.webhookSecret) return pass;
  const events = await readFeed(db, { eventTypes: client.eventTypes, agencies: client.agencies }, claimed.cursor, s.webhookBatch);
  for (const row of events) {
    const event = toCloudEvent(row, s.eventSource);
    const body = JSON.stringify(event);
    const at = clock.now();
    const timestamp = Math.floor(at.getTime() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetchImpl(client.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/cloudevents+json',
          'webhook-id': event.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(client.webhookSecret, event.id, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(s.webhookTimeoutMs),
      });
      status = res.status;
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (err) {
      error = (err as Error).name === 'TimeoutError' ? 'timeout' : ((err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message).slice(0, 200);
    }
    if (error) {
      const failures = claimed.failures + 1;
      await db
        .update(webhookDeliveries)
        .set({ failures, lastStatus: status, lastError: error, lastAttemptAt: at, nextAttemptAt: new Date(at.getTime() + backoffMs(s, failures)) })
        .where(eq(webhookDeliveries.clientId, clientId));
      pass.failed = true;
      return pass;
    }
    await db
      .update(webhookDeliveries)
      .set({ cursor: row.position, delivered: sql`${webhookDeliveries.delivered} + 1`, failures: 0, lastStatus: status, lastError: null, lastAttemptAt: at, lastDeliveredAt: at })
      .where(eq(webhookDeliveries.clientId, clientId));
    claimed.failures = 0;
    pass.delivered += 1;
  }
  // Caught up (or a full batch sent): due again at once, so the next pass continues.
  await db.update(webhookDeliveries).set({ nextAttemptAt: clock.now() }).where(eq(webhookDeliveries.clientId, clientId));
  return pass;
}
