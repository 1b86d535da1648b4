import { count, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { auditPending } from '../db/schema/index.js';
import { canonicalEntryFromIso, chainHashOfCanonical, GENESIS_HASH } from './canonical.js';

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

type ChainRow = {
  seq: string | number;
  entry_id: string | number | null;
  prev_hash: string;
  hash: string;
  id: string | number | null;
  occurred_at: string | null;
  actor: string;
  role: string;
  action: string;
  subject_type: string;
  subject_id: string;
  agency_code: string | null;
  enterprise_code: string | null;
  district_code: string | null;
  before_state: string | null;
  after_state: string | null;
  payload_hash: string;
  payload_ok: boolean | null;
};

// Large pages amortise round trips; 10,000 rows of ~400 bytes stay well under a few MiB.
const PAGE = 10_000;

/**
 * One page of the chain in seq order. The payload hashes are re-checked by PostgreSQL (payload_ok) and
 * timestamps come back as the exact ISO strings that were hashed, so JavaScript only chains.
 */
async function page(db: Db, afterSeq: number): Promise<ChainRow[]> {
  const res = await db.execute<ChainRow>(sql`
    SELECT c.seq, c.entry_id, c.prev_hash, c.hash, e.id,
           to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at,
           e.actor, e.role, e.action, e.subject_type, e.subject_id, e.agency_code, e.enterprise_code,
           e.district_code, e.before_state, e.after_state, e.payload_hash,
           encode(sha256(convert_to(e.payload::text, 'UTF8')), 'hex') = e.payload_hash AS payload_ok
      FROM audit_chain c LEFT JOIN audit_entries e ON e.id = c.entry_id
     WHERE c.seq > ${afterSeq}
     ORDER BY c.seq
     LIMIT ${PAGE}`);
  return (res as unknown as { rows: ChainRow[] }).rows;
}

/** Walks the whole chain in order and recomputes every hash; stops at the first break. */
export async function verifyChain(db: Db): Promise<VerifyReport> {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let verified = 0;
  let next = page(db, 0);
  for (;;) {
    const rows = await next;
    // Fetch the following page while this one is hashed (a pool serves it on another connection).
    if (rows.length === PAGE) next = page(db, Number(rows[rows.length - 1]!.seq));
    for (const r of rows) {
      const seq = Number(r.seq);
      const fail = (reason: ChainBreak['reason'], detail: string): VerifyReport => ({
        ok: false,
        verified,
        pending: 0,
        headSeq: seq,
        headHash: r.hash,
        brokenAt: { seq, entryId: r.entry_id === null ? null : Number(r.entry_id), reason, detail },
      });
      if (seq !== expectedSeq) return fail('sequence_gap', `链序号应为 ${expectedSeq}，实为 ${seq}`);
      if (r.prev_hash !== prev) return fail('prev_hash_mismatch', `第 ${seq} 条的前序哈希与上一条不符`);
      if (r.id === null || r.occurred_at === null) return fail('hash_mismatch', `第 ${seq} 条对应的审计记录缺失`);
      if (!r.payload_ok) return fail('payload_hash_mismatch', `第 ${seq} 条审计记录的内容已被改动`);
      const canonical = canonicalEntryFromIso(
        {
          id: Number(r.id),
          actor: r.actor,
          role: r.role,
          action: r.action,
          subjectType: r.subject_type,
          subjectId: r.subject_id,
          agencyCode: r.agency_code,
          enterpriseCode: r.enterprise_code,
          districtCode: r.district_code,
          beforeState: r.before_state,
          afterState: r.after_state,
          payloadHash: r.payload_hash,
        },
        r.occurred_at,
      );
      if (chainHashOfCanonical(prev, canonical) !== r.hash) return fail('hash_mismatch', `第 ${seq} 条审计记录已被改动，哈希不符`);
      prev = r.hash;
      expectedSeq++;
      verified++;
    }
    if (rows.length < PAGE) break;
  }
  const [p] = await db.select({ n: count() }).from(auditPending);
  return { ok: true, verified, pending: Number(p?.n ?? 0), headSeq: expectedSeq - 1, headHash: prev };
}
