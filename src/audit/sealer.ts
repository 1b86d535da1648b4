import { asc, desc, inArray, sql } from 'drizzle-orm';
import type { Keyring } from '../codes/keyring.js';
import type { Db } from '../db/client.js';
import { auditChain, auditCheckpoints, auditEntries, auditPending } from '../db/schema/index.js';
import type { Clock } from '../time/clock.js';
import { canonicalEntryV2, CHAIN_FORMAT_OF, chainHashOfCanonical, configuredChainHash, GENESIS_HASH } from './canonical.js';
import { checkpointBytes, type Checkpoint } from './checkpoint.js';
import { recordedMacFrom } from './format-switch.js';
import { witnessProblem, type CheckpointWitness } from './witness.js';

export { CheckpointWitness } from './witness.js';

// Shared by every instance: one sealer extends the chain at a time, the others skip their turn.
const SEALER_LOCK_KEY = 327_0002;
// Bounded batches keep each sealing transaction short.
const BATCH = 2000;

/** Signing checkpoints as the sealer goes: the keyring, how often, and this process's memory of the last. */
export interface CheckpointPolicy {
  keyring: Keyring;
  intervalMs: number;
  witness: CheckpointWitness;
}

/** Refused to sign: the database is behind the checkpoint this process keeps (it was rolled back). */
export class AuditRollbackError extends Error {
  constructor(readonly detail: string) {
    super(detail);
  }
}

const iso = (d: Date) => d.toISOString();

/**
 * Chains committed entries in the order the sealer sees them (Certificate-Transparency style): the
 * writers never contend on a chain head; only the sealer does, once per batch. Returns how many were
 * sealed. Safe on several instances (advisory lock) and after a crash (the queue is transactional).
 * With a checkpoint policy it also signs a checkpoint once the interval has passed and the head moved.
 */
export async function sealPending(db: Db, clock: Clock, checkpoints?: CheckpointPolicy): Promise<number> {
  let total = 0;
  for (;;) {
    const sealed = await db.transaction(async (tx) => {
      const lock = await tx.execute<{ ok: boolean }>(sql`SELECT pg_try_advisory_xact_lock(${SEALER_LOCK_KEY}) AS ok`);
      if (!(lock as unknown as { rows: { ok: boolean }[] }).rows[0]?.ok) return -1;
      const n = await sealBatch(tx, clock);
      if (n < BATCH && checkpoints) await checkpointIfDue(tx, clock, checkpoints, false);
      return n;
    });
    if (sealed <= 0) return total;
    total += sealed;
    if (sealed < BATCH) return total;
  }
}

async function sealBatch(tx: Db, clock: Clock): Promise<number> {
  const pending = await tx.select({ entryId: auditPending.entryId }).from(auditPending).orderBy(asc(auditPending.entryId)).limit(BATCH);
  if (pending.length === 0) return 0;
  const ids = pending.map((p) => p.entryId);
  const entries = await tx.select().from(auditEntries).where(inArray(auditEntries.id, ids)).orderBy(asc(auditEntries.id));
  const [head] = await tx.select().from(auditChain).orderBy(desc(auditChain.seq)).limit(1);
  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? GENESIS_HASH;
  const now = clock.now();
  const hashAlg = configuredChainHash();
  const format = CHAIN_FORMAT_OF[hashAlg];
  const rows = entries.map((e) => {
    // Format 2 hashes every stored column; it is not checked here whether the entry's MAC is genuine: a
    // forged row is chained like any other and verification names it, at its position, for good.
    const hash = chainHashOfCanonical(prev, canonicalEntryV2(e, iso(e.occurredAt), iso(now), format), hashAlg);
    const row = { seq: ++seq, entryId: e.id, prevHash: prev, hash, sealedAt: now, format };
    prev = hash;
    return row;
  });
  if (rows.length > 0) await tx.insert(auditChain).values(rows);
  await tx.delete(auditPending).where(inArray(auditPending.entryId, ids));
  return rows.length;
}

/**
 * Signs a checkpoint of the current head inside the sealer's transaction (so the head cannot move under
 * it). `force` signs even before the interval (on demand) but never twice for the same head.
 */
async function checkpointIfDue(tx: Db, clock: Clock, policy: CheckpointPolicy, force: boolean): Promise<Checkpoint | undefined> {
  const now = clock.now();
  const { witness } = policy;
  const known = witness.latest;
  // Skips the reads on the sealer's quick passes while the interval has not run.
  if (!force && known && now.getTime() - Date.parse(known.signedAt) < policy.intervalMs) return undefined;
  // Never a position behind the one kept, nor that position with another hash: the chain was cut back or
  // rewritten, and a checkpoint signed now would vouch for the rewritten log.
  if (known) {
    const problem = await witnessProblem(tx, known);
    if (problem) {
      witness.rollback = problem;
      return refuse(problem.detail, force);
    }
  }
  const [head] = await tx.select({ seq: auditChain.seq, hash: auditChain.hash }).from(auditChain).orderBy(desc(auditChain.seq)).limit(1);
  if (!head) return undefined;
  const [last] = await tx.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.seq)).limit(1);
  if (last) {
    const lastCp = toCheckpoint(last);
    // Another instance's checkpoint is taken as witnessed only when its signature holds.
    if (policy.keyring.verifyBytes(checkpointBytes(lastCp), lastCp.kid, lastCp.signature)) witness.see(lastCp);
    if (last.chainSeq === head.seq && last.headHash === head.hash) return lastCp;
    if (!force && now.getTime() - last.signedAt.getTime() < policy.intervalMs) return undefined;
  }
  // Numbers are never reused either: after the kept one's, even when the stored ones were deleted.
  const seq = Math.max(last?.seq ?? 0, witness.latest?.seq ?? 0) + 1;
  // The switch as recorded, or as the kept checkpoint signed it where that is earlier (the stricter).
  const recorded = await recordedMacFrom(tx);
  const macFrom = Math.min(recorded, witness.latest?.macFrom ?? recorded);
  const body = { seq, chainSeq: head.seq, headHash: head.hash, signedAt: iso(now), kid: policy.keyring.activeKid, macFrom };
  const signed = policy.keyring.signBytes(checkpointBytes(body));
  const checkpoint: Checkpoint = { ...body, alg: signed.alg, signature: signed.signature };
  await tx.insert(auditCheckpoints).values({ ...checkpoint, signedAt: now });
  witness.see(checkpoint);
  return checkpoint;
}

function refuse(detail: string, force: boolean): undefined {
  if (force) throw new AuditRollbackError(detail);
  return undefined;
}

/** On demand: chains everything committed so far and signs a checkpoint of the head (waits for the lock). */
export async function checkpointNow(db: Db, clock: Clock, policy: CheckpointPolicy): Promise<Checkpoint | undefined> {
  await sealPending(db, clock);
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${SEALER_LOCK_KEY})`);
    while ((await sealBatch(tx, clock)) === BATCH);
    return checkpointIfDue(tx, clock, policy, true);
  });
}

export function toCheckpoint(r: typeof auditCheckpoints.$inferSelect): Checkpoint {
  return {
    seq: r.seq,
    chainSeq: r.chainSeq,
    headHash: r.headHash,
    signedAt: iso(r.signedAt),
    kid: r.kid,
    alg: r.alg,
    signature: r.signature,
    ...(r.macFrom === null ? {} : { macFrom: r.macFrom }),
  };
}
