import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { webhookDeadLetters, webhookDeliveries } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import type { EventRow } from './cloud-event.js';
import { findClient, type PlatformClient } from './clients.repository.js';
import { formatCursor } from './cursor.js';
import { readFeed } from './feed.js';
import type { Attempt } from './webhooks.js';

export type DeadLetter = typeof webhookDeadLetters.$inferSelect;

/** A subscriber's dead letters (死信), oldest position first; `pending` only those not yet taken by the receiver. */
export async function listDeadLetters(db: Db, clientId: string, opts: { pending: boolean }): Promise<DeadLetter[]> {
  return db
    .select()
    .from(webhookDeadLetters)
    .where(and(eq(webhookDeadLetters.clientId, clientId), opts.pending ? isNull(webhookDeadLetters.redeliveredAt) : undefined))
    .orderBy(asc(webhookDeadLetters.position));
}

/** The client with a webhook, and its dead letter at `position`; 404 for either missing. */
export async function deadLetterToRetry(db: Db, clientId: string, position: number): Promise<{ client: PlatformClient; letter: DeadLetter; event: EventRow }> {
  const client = await findClient(db, clientId);
  if (!client) throw DomainError.notFound('对接平台', clientId);
  const [letter] = await db
    .select()
    .from(webhookDeadLetters)
    .where(and(eq(webhookDeadLetters.clientId, clientId), eq(webhookDeadLetters.position, position)));
  if (!letter) throw DomainError.notFound('死信', formatCursor(position));
  if (!client.active || !client.webhookUrl || !client.webhookSecret) throw DomainError.field('params.id', '该对接平台已停用或未设推送地址，不能重新推送');
  // The event itself, whatever the client's scope is now: it was in scope when it was dead-lettered.
  const [event] = await readFeed(db, { eventTypes: [], agencies: [] }, position - 1, 1);
  if (!event || event.position !== position) throw DomainError.notFound('事件', formatCursor(position));
  return { client, letter, event };
}

/** Records an admin's redelivery attempt: a receiver that took it marks the letter redelivered. */
export async function recordRedelivery(tx: Db, { at, audit }: CommandScope, letter: DeadLetter, attempt: Attempt): Promise<DeadLetter> {
  const delivered = !attempt.error && !attempt.stopped;
  const [row] = (await tx
    .update(webhookDeadLetters)
    .set({
      attempts: sql`${webhookDeadLetters.attempts} + 1`,
      lastStatus: attempt.status,
      lastError: attempt.error,
      ...(delivered ? { redeliveredAt: at } : {}),
    })
    .where(and(eq(webhookDeadLetters.clientId, letter.clientId), eq(webhookDeadLetters.position, letter.position)))
    .returning()) as [DeadLetter];
  await audit({
    action: 'platform_client.dead_letter_retried',
    subjectType: 'platform_client',
    subjectId: letter.clientId,
    payload: { position: formatCursor(letter.position), eventId: letter.eventId, delivered, status: attempt.status, error: attempt.error },
  });
  return row;
}

/**
 * Moves a subscriber's cursor (游标) forward past events it will never take, or back to have events sent
 * again; failures reset and the next attempt is due at once.
 */
export async function moveCursor(tx: Db, { at, audit }: CommandScope, clientId: string, cursor: number): Promise<void> {
  const [before] = await tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.clientId, clientId)).for('update');
  if (!before) throw DomainError.notFound('推送状态', clientId);
  await tx.update(webhookDeliveries).set({ cursor, failures: 0, lastError: null, nextAttemptAt: at }).where(eq(webhookDeliveries.clientId, clientId));
  await audit({
    action: 'platform_client.cursor_moved',
    subjectType: 'platform_client',
    subjectId: clientId,
    payload: { from: formatCursor(before.cursor), to: formatCursor(cursor) },
  });
}
