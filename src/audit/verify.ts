import { asc, count, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { auditChain, auditEntries, auditPending } from '../db/schema/index.js';
import { canonicalJson, chainHash, GENESIS_HASH, sha256Hex } from './canonical.js';

export interface ChainBreak {
  seq: number;
  entryId: number | null;
  reason: 'payload_hash_mismatch' | 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap';
  /** zh-CN explanation for the supervisor. */
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  verified: number;
  /** Entries committed but not chained yet (the sealer's bounded delay). */
  pending: number;
  headSeq: number;
  headHash: string;
  brokenAt?: ChainBreak;
}

const PAGE = 5000;

/** Walks the whole chain in order and recomputes every hash; stops at the first break. */
export async function verifyChain(db: Db): Promise<VerifyReport> {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let verified = 0;
  for (;;) {
    const rows = await db
      .select({ chain: auditChain, entry: auditEntries })
      .from(auditChain)
      .leftJoin(auditEntries, eq(auditEntries.id, auditChain.entryId))
      .where(gt(auditChain.seq, expectedSeq - 1))
      .orderBy(asc(auditChain.seq))
      .limit(PAGE);
    for (const { chain, entry } of rows) {
      const fail = (reason: ChainBreak['reason'], detail: string): VerifyReport => ({
        ok: false,
        verified,
        pending: 0,
        headSeq: chain.seq,
        headHash: chain.hash,
        brokenAt: { seq: chain.seq, entryId: chain.entryId, reason, detail },
      });
      if (chain.seq !== expectedSeq) return fail('sequence_gap', `链序号应为 ${expectedSeq}，实为 ${chain.seq}`);
      if (chain.prevHash !== prev) return fail('prev_hash_mismatch', `第 ${chain.seq} 条的前序哈希与上一条不符`);
      if (!entry) return fail('hash_mismatch', `第 ${chain.seq} 条对应的审计记录缺失`);
      if (sha256Hex(canonicalJson(entry.payload)) !== entry.payloadHash) {
        return fail('payload_hash_mismatch', `第 ${chain.seq} 条审计记录的内容已被改动`);
      }
      if (chainHash(prev, entry) !== chain.hash) return fail('hash_mismatch', `第 ${chain.seq} 条审计记录已被改动，哈希不符`);
      prev = chain.hash;
      expectedSeq++;
      verified++;
    }
    if (rows.length < PAGE) break;
  }
  const [p] = await db.select({ n: count() }).from(auditPending);
  return { ok: true, verified, pending: Number(p?.n ?? 0), headSeq: expectedSeq - 1, headHash: prev };
}
