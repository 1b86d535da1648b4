import { asc, desc, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { auditChain, auditEntries, auditPending } from '../db/schema/index.js';
import type { Clock } from '../time/clock.js';
import { chainHash, GENESIS_HASH } from './canonical.js';

// Shared by every instance: one sealer extends the chain at a time, the others skip their turn.
const SEALER_LOCK_KEY = 327_0002;
// Bounded batches keep each sealing transaction short.
const BATCH = 2000;

/**
 * Chains committed entries in the order the sealer sees them (Certificate-Transparency style): the
 * writers never contend on a chain head; only the sealer does, once per batch. Returns how many were
 * sealed. Safe on several instances (advisory lock) and after a crash (the queue is transactional).
 */
export async function sealPending(db: Db, clock: Clock): Promise<number> {
  let total = 0;
  for (;;) {
    const sealed = await db.transaction(async (tx) => {
      const lock = await tx.execute<{ ok: boolean }>(sql`SELECT pg_try_advisory_xact_lock(${SEALER_LOCK_KEY}) AS ok`);
      if (!(lock as unknown as { rows: { ok: boolean }[] }).rows[0]?.ok) return -1;
      const pending = await tx
        .select({ entryId: auditPending.entryId })
        .from(auditPending)
        .orderBy(asc(auditPending.entryId))
        .limit(BATCH);
      if (pending.length === 0) return 0;
      const ids = pending.map((p) => p.entryId);
      const entries = await tx.select().from(auditEntries).where(inArray(auditEntries.id, ids)).orderBy(asc(auditEntries.id));
      const [head] = await tx.select().from(auditChain).orderBy(desc(auditChain.seq)).limit(1);
      let seq = head?.seq ?? 0;
      let prev = head?.hash ?? GENESIS_HASH;
      const now = clock.now();
      const rows = entries.map((e) => {
        const hash = chainHash(prev, e);
        const row = { seq: ++seq, entryId: e.id, prevHash: prev, hash, sealedAt: now };
        prev = hash;
        return row;
      });
      await tx.insert(auditChain).values(rows);
      await tx.delete(auditPending).where(inArray(auditPending.entryId, ids));
      return rows.length;
    });
    if (sealed <= 0) return total;
    total += sealed;
    if (sealed < BATCH) return total;
  }
}

