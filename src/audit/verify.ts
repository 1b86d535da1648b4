import { asc, count, desc, gte, sql } from 'drizzle-orm';
import type { Keyring } from '../codes/keyring.js';
import type { Db } from '../db/client.js';
import { auditCheckpoints, auditPending, auditVerifications } from '../db/schema/index.js';
import { ChainWalker, GENESIS, type AuditProblem, type WalkRow, type WalkStart } from './chain-walk.js';
import { checkpointBytes, verificationBytes, type Checkpoint } from './checkpoint.js';
import type { AuditMacKeys } from './mac.js';
import { toCheckpoint, type CheckpointWitness } from './sealer.js';

export type { AuditProblem } from './chain-walk.js';

/** Kept for the first problem, as the report named it before it listed them all. */
export type ChainBreak = AuditProblem;

export interface VerifyReport {
  ok: boolean;
  /** full: from the genesis; incremental: from the last verified checkpoint. */
  mode: 'full' | 'incremental';
  /** The chain position verification started after (0 = genesis). */
  startSeq: number;
  /** Chain rows walked without a problem. */
  verified: number;
  /** Entries committed but not chained yet (the sealer's bounded delay). */
  pending: number;
  headSeq: number;
  headHash: string;
  /** Signed checkpoints the chain was compared with. */
  checkpoints: number;
  latestCheckpoint: { seq: number; chainSeq: number; headHash: string; signedAt: string } | null;
  /** Whether append MACs were checked (the server holds the key; an offline verifier may not). */
  macChecked: boolean;
  problems: AuditProblem[];
  brokenAt?: AuditProblem;
}

export interface VerifyOptions {
  /** Verifies checkpoint signatures and signs the verification record. */
  keyring?: Keyring;
  macKeys?: AuditMacKeys;
  witness?: CheckpointWitness;
  /** Walk from the genesis even when a verified checkpoint exists. */
  full?: boolean;
  now?: Date;
  /** Entries waiting in the queue longer than this are reported (seal_overdue). */
  sealDelayMs?: number;
}

type ChainRow = {
  seq: string | number;
  format: number;
  prev_hash: string;
  hash: string;
  sealed_at: string;
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
  request_id: string | null;
  mac: string | null;
  mac_kid: string | null;
  payload: unknown;
  payload_ok: boolean | null;
};

// Large pages amortise round trips; 10,000 rows of ~600 bytes stay well under a few MiB.
const PAGE = 10_000;
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * One page of the chain in seq order. The payload hashes are re-checked by PostgreSQL (payload_ok) and
 * timestamps come back as the exact ISO strings that were hashed, so JavaScript only chains. The
 * payload is fetched only when the MACs are checked (they cover it).
 */
async function page(db: Db, afterSeq: number, withPayload: boolean): Promise<ChainRow[]> {
  const res = await db.execute<ChainRow>(sql`
    SELECT c.seq, c.format, c.prev_hash, c.hash, to_char(c.sealed_at AT TIME ZONE 'UTC', ${sql.raw(ISO)}) AS sealed_at, e.id,
           to_char(e.occurred_at AT TIME ZONE 'UTC', ${sql.raw(ISO)}) AS occurred_at,
           e.actor, e.role, e.action, e.subject_type, e.subject_id, e.agency_code, e.enterprise_code,
           e.district_code, e.before_state, e.after_state, e.payload_hash, e.request_id, e.mac, e.mac_kid,
           ${withPayload ? sql`e.payload` : sql`NULL::jsonb AS payload`},
           encode(sha256(convert_to(e.payload::text, 'UTF8')), 'hex') = e.payload_hash AS payload_ok
      FROM audit_chain c LEFT JOIN audit_entries e ON e.id = c.entry_id
     WHERE c.seq > ${afterSeq}
     ORDER BY c.seq
     LIMIT ${PAGE}`);
  return (res as unknown as { rows: ChainRow[] }).rows;
}

export function toWalkRow(r: ChainRow): WalkRow {
  return {
    seq: Number(r.seq),
    format: Number(r.format),
    prevHash: r.prev_hash,
    hash: r.hash,
    sealedAt: r.sealed_at,
    entry:
      r.id === null || r.occurred_at === null
        ? null
        : {
            id: Number(r.id),
            occurredAt: r.occurred_at,
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
            requestId: r.request_id,
            mac: r.mac,
            macKid: r.mac_kid,
            payloadOk: r.payload_ok === true,
            payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
          },
  };
}

async function hashAt(db: Db, seq: number): Promise<string | undefined> {
  const res = await db.execute<{ hash: string }>(sql`SELECT hash FROM audit_chain WHERE seq = ${seq}`);
  return (res as unknown as { rows: { hash: string }[] }).rows[0]?.hash;
}

/** The newest verification record whose signature holds, and the checkpoint it names. */
async function lastVerified(db: Db, keyring: Keyring): Promise<number | undefined> {
  const rows = await db.select().from(auditVerifications).orderBy(desc(auditVerifications.id)).limit(20);
  const genuine = rows.find((v) => keyring.verifyBytes(verificationBytes(v.checkpointSeq, v.verifiedAt.toISOString(), v.kid), v.kid, v.signature));
  return genuine?.checkpointSeq;
}

/**
 * Walks the chain in order, recomputes every hash, checks every append MAC, compares the chain with the
 * signed checkpoints (and this process's own memory of the newest), and looks for entries that never
 * reached the chain. Every problem is reported by position. A routine (incremental) run starts from the
 * last verified checkpoint, so it costs the new entries only; `full` walks everything.
 */
export async function verifyChain(db: Db, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const problems: AuditProblem[] = [];
  // The checkpoints: signatures checked, numbering checked for holes.
  const stored = (await db.select().from(auditCheckpoints).orderBy(asc(auditCheckpoints.seq))).map(toCheckpoint);
  const valid: Checkpoint[] = [];
  let expectedCp = 1;
  for (const c of stored) {
    if (c.seq !== expectedCp) {
      problems.push({ reason: 'checkpoint_missing', seq: null, entryId: null, checkpointSeq: expectedCp, detail: `签名检查点第 ${expectedCp} 至 ${c.seq - 1} 号缺失` });
    }
    expectedCp = c.seq + 1;
    if (opts.keyring && !opts.keyring.verifyBytes(checkpointBytes(c), c.kid, c.signature)) {
      problems.push({ reason: 'checkpoint_invalid', seq: c.chainSeq, entryId: null, checkpointSeq: c.seq, detail: `第 ${c.seq} 号签名检查点的签名无效` });
      continue;
    }
    valid.push(c);
  }
  const witnessed = opts.witness?.latest;
  if (witnessed && !stored.some((c) => c.seq === witnessed.seq)) {
    problems.push({ reason: 'checkpoint_missing', seq: null, entryId: null, checkpointSeq: witnessed.seq, detail: `本系统签发的第 ${witnessed.seq} 号签名检查点已从数据库中删除` });
    if (witnessed.seq >= expectedCp) {
      // The stored ones end early: the deleted tail of checkpoints.
      problems.push({ reason: 'checkpoint_missing', seq: null, entryId: null, checkpointSeq: expectedCp, detail: `签名检查点第 ${expectedCp} 至 ${witnessed.seq} 号缺失` });
    }
    valid.push(witnessed);
  }

  // Where to start: after the last verified checkpoint, when its position still holds its hash.
  let start: WalkStart = GENESIS;
  let mode: VerifyReport['mode'] = 'full';
  if (!opts.full && opts.keyring) {
    const cpSeq = await lastVerified(db, opts.keyring);
    const cp = cpSeq === undefined ? undefined : valid.find((c) => c.seq === cpSeq);
    if (cp && (await hashAt(db, cp.chainSeq)) === cp.headHash) {
      start = { seq: cp.chainSeq, hash: cp.headHash };
      mode = 'incremental';
    }
  }

  const walker = new ChainWalker(start, valid, opts.macKeys);
  for (const p of problems) walker.report(p);
  const withPayload = opts.macKeys !== undefined;
  let next = page(db, start.seq, withPayload);
  for (;;) {
    const rows = await next;
    // Fetch the following page while this one is hashed (a pool serves it on another connection).
    if (rows.length === PAGE) next = page(db, Number(rows[rows.length - 1]!.seq), withPayload);
    for (const r of rows) walker.push(toWalkRow(r));
    if (rows.length < PAGE) break;
  }
  const { headSeq, headHash } = walker.finish();

  for (const p of await unchained(db, opts.now ?? new Date(), opts.sealDelayMs ?? 60_000)) walker.report(p);
  const [p] = await db.select({ n: count() }).from(auditPending);
  const latest = valid.filter((c) => c.chainSeq <= headSeq).sort((a, b) => b.seq - a.seq)[0];
  const report: VerifyReport = {
    ok: walker.problems.length === 0,
    mode,
    startSeq: start.seq,
    verified: walker.verified,
    pending: Number(p?.n ?? 0),
    headSeq,
    headHash,
    checkpoints: valid.filter((c) => c.chainSeq > start.seq).length,
    latestCheckpoint: latest ? { seq: latest.seq, chainSeq: latest.chainSeq, headHash: latest.headHash, signedAt: latest.signedAt } : null,
    macChecked: withPayload,
    problems: walker.problems,
    ...(walker.problems[0] ? { brokenAt: walker.problems[0] } : {}),
  };
  if (report.ok && latest && opts.keyring && latest.chainSeq > start.seq) await recordVerification(db, opts.keyring, latest.seq, opts.now ?? new Date());
  return report;
}

async function recordVerification(db: Db, keyring: Keyring, checkpointSeq: number, at: Date): Promise<void> {
  const verifiedAt = at.toISOString();
  const { kid, signature } = keyring.signBytes(verificationBytes(checkpointSeq, verifiedAt, keyring.activeKid));
  await db.insert(auditVerifications).values({ checkpointSeq, verifiedAt: at, kid, signature });
}

/**
 * Entries that never reached the chain: taken out of the sealer's queue (neither chained nor queued), or
 * waiting in it past the sealing delay. An anti-join over the entries, done by the database.
 */
async function unchained(db: Db, now: Date, sealDelayMs: number): Promise<AuditProblem[]> {
  const res = await db.execute<{ id: string | number; queued: boolean; occurred_at: string }>(sql`
    SELECT e.id, p.entry_id IS NOT NULL AS queued, to_char(e.occurred_at AT TIME ZONE 'UTC', ${sql.raw(ISO)}) AS occurred_at
      FROM audit_entries e
      LEFT JOIN audit_chain c ON c.entry_id = e.id
      LEFT JOIN audit_pending p ON p.entry_id = e.id
     WHERE c.entry_id IS NULL
       AND (p.entry_id IS NULL OR e.occurred_at < ${new Date(now.getTime() - sealDelayMs).toISOString()})
     ORDER BY e.id
     LIMIT 200`);
  return (res as unknown as { rows: { id: string | number; queued: boolean; occurred_at: string }[] }).rows.map((r) => {
    const id = Number(r.id);
    return r.queued
      ? { reason: 'seal_overdue' as const, seq: null, entryId: id, detail: `记录编号 ${id}（${r.occurred_at}）超过封链时限仍未入链` }
      : { reason: 'unchained' as const, seq: null, entryId: id, detail: `记录编号 ${id}（${r.occurred_at}）既未入链也不在待封链队列中：已被移出队列` };
  });
}

/** Checkpoints after `after`, oldest first, for the well-known list. */
export async function listCheckpoints(db: Db, after: number, limit: number): Promise<Checkpoint[]> {
  const rows = await db.select().from(auditCheckpoints).where(gte(auditCheckpoints.seq, after + 1)).orderBy(asc(auditCheckpoints.seq)).limit(limit);
  return rows.map(toCheckpoint);
}
