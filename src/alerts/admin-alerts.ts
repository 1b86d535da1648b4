import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { adminAlerts } from '../db/schema/index.js';

export type AdminAlert = typeof adminAlerts.$inferSelect;
export type AdminAlertKind = AdminAlert['kind'];

export interface AdminAlertInput {
  kind: AdminAlertKind;
  key: string;
  /** zh-CN sentence for the administrator. */
  detail: string;
  evidence?: Record<string, unknown>;
}

/**
 * Raises (or, when it is open already, counts up) the alert inside the caller's transaction, so it commits
 * with the work that ran into the condition. A resolved alert whose condition comes back is reopened.
 * The first raise, and a reopening, go on the audit chain; a repeat only bumps the count.
 */
export async function raiseAdminAlert(tx: Db, scope: CommandScope, input: AdminAlertInput): Promise<AdminAlert> {
  const [before] = await tx.select().from(adminAlerts).where(and(eq(adminAlerts.kind, input.kind), eq(adminAlerts.key, input.key))).for('update');
  let alert: AdminAlert;
  if (!before) {
    [alert] = (await tx
      .insert(adminAlerts)
      .values({ id: randomUUID(), ...input, evidence: input.evidence ?? {}, raisedAt: scope.at, lastRaisedAt: scope.at })
      .onConflictDoUpdate({ target: [adminAlerts.kind, adminAlerts.key], set: { occurrences: sql`${adminAlerts.occurrences} + 1`, lastRaisedAt: scope.at } })
      .returning()) as [AdminAlert];
    // Another transaction raised it first: counted up, already on the audit chain.
    if (alert.occurrences > 1) return alert;
  } else {
    const reopened = before.resolvedAt !== null;
    [alert] = (await tx
      .update(adminAlerts)
      .set(
        reopened
          ? { detail: input.detail, evidence: input.evidence ?? {}, occurrences: 1, raisedAt: scope.at, lastRaisedAt: scope.at, resolvedAt: null, resolvedBy: null, resolution: null }
          : { occurrences: before.occurrences + 1, lastRaisedAt: scope.at },
      )
      .where(eq(adminAlerts.id, before.id))
      .returning()) as [AdminAlert];
    if (!reopened) return alert;
  }
  await scope.audit({ action: 'admin_alert.raised', subjectType: 'admin_alert', subjectId: alert.id, after: 'open', payload: { kind: alert.kind, key: alert.key, detail: alert.detail } });
  return alert;
}

/** Resolves the open alert of (kind, key), if any, in the transaction of the command that cleared it. */
export async function resolveAdminAlert(tx: Db, scope: CommandScope, kind: AdminAlertKind, key: string, by: string, resolution: string): Promise<AdminAlert | null> {
  const [alert] = await tx
    .update(adminAlerts)
    .set({ resolvedAt: scope.at, resolvedBy: by, resolution })
    .where(and(eq(adminAlerts.kind, kind), eq(adminAlerts.key, key), isNull(adminAlerts.resolvedAt)))
    .returning();
  if (!alert) return null;
  await scope.audit({ action: 'admin_alert.resolved', subjectType: 'admin_alert', subjectId: alert.id, before: 'open', after: 'resolved', payload: { kind, key, resolution } });
  return alert;
}

export function listAdminAlerts(db: Db, f: { state?: 'open' | 'resolved'; limit: number; offset: number }) {
  const where: SQL[] = [];
  if (f.state === 'open') where.push(isNull(adminAlerts.resolvedAt));
  if (f.state === 'resolved') where.push(isNotNull(adminAlerts.resolvedAt));
  return db
    .select()
    .from(adminAlerts)
    .where(and(...where))
    .orderBy(desc(adminAlerts.lastRaisedAt), desc(adminAlerts.id))
    .limit(f.limit)
    .offset(f.offset);
}
