import { hash as digest } from 'node:crypto';
import { canonicalEntryFromIso, canonicalEntryV2, chainHashOfCanonical, chainHashOfFormat, GENESIS_HASH, type EntryColumns } from './canonical.js';
import type { Checkpoint } from './checkpoint.js';
import type { AuditMacKeys } from './mac.js';

/**
 * The verifier's core, shared by the server (rows read from the database) and the offline CLI (an
 * exported segment): it walks chain rows in order and reports every problem by position instead of
 * stopping at the first, so one edited entry does not hide a truncated tail behind it.
 */
export type ProblemReason =
  /** a chain position is missing or repeated */
  | 'sequence_gap'
  /** a row does not link to the one before it */
  | 'prev_hash_mismatch'
  /** a chain row points at an entry that is gone */
  | 'entry_missing'
  /** the payload was changed (its stored hash no longer matches it) */
  | 'payload_hash_mismatch'
  /** an entry was edited after sealing (its hash no longer matches its columns) */
  | 'hash_mismatch'
  /** an entry that did not come through the append path (no valid append MAC), or was rewritten */
  | 'forged'
  /** a stretch was rewritten and rehashed: the chain no longer matches a signed checkpoint */
  | 'rehashed'
  /** entries a signed checkpoint vouches for are gone from the end of the chain */
  | 'truncated'
  /** a stored checkpoint whose signature does not verify */
  | 'checkpoint_invalid'
  /** a checkpoint number is missing (deleted) */
  | 'checkpoint_missing'
  /** two validly signed checkpoints under one number (copies kept elsewhere disagree): the log was cut back and signed again */
  | 'checkpoint_conflict'
  /** an entry that is neither chained nor waiting in the sealer's queue (taken out of the queue) */
  | 'unchained'
  /** an entry still waiting in the queue long past the sealing delay */
  | 'seal_overdue';

export interface AuditProblem {
  reason: ProblemReason;
  /** Chain position (first of a stretch); null for entries that never reached the chain. */
  seq: number | null;
  /** Last position of a stretch (rehashed, truncated). */
  toSeq?: number;
  entryId: number | null;
  checkpointSeq?: number;
  /** zh-CN explanation for the supervisor. */
  detail: string;
}

/** One chain row with its entry, as the database query and the export both produce it. */
export interface WalkRow {
  seq: number;
  format: number;
  prevHash: string;
  hash: string;
  sealedAt: string;
  entry: WalkEntry | null;
}

export interface WalkEntry extends EntryColumns {
  id: number;
  occurredAt: string;
  payloadHash: string;
  requestId: string | null;
  mac: string | null;
  macKid: string | null;
  /** Does the stored payload hash to payloadHash (checked by the database, or by the CLI from the text). */
  payloadOk: boolean;
  /** The payload, parsed; needed only to check the MAC. */
  payload?: unknown;
}

export interface WalkStart {
  /** The chain position already trusted (0 = genesis). */
  seq: number;
  hash: string;
}

export const MAX_PROBLEMS = 200;

export class ChainWalker {
  readonly problems: AuditProblem[] = [];
  verified = 0;
  #prev: string;
  #expected: number;
  #lastSeq: number;
  #checkpoints: Checkpoint[];
  #ci = 0;
  #lastMatched: number;
  #rehashed: AuditProblem | undefined;
  #seenV2 = false;

  constructor(
    start: WalkStart,
    /** Valid checkpoints (signatures already checked), any order; those at or before start are ignored. */
    checkpoints: Checkpoint[],
    private readonly macKeys?: AuditMacKeys,
    /**
     * The recorded switch to append MACs (src/audit/format-switch.ts): no format-1 row may stand at or after
     * this position. Undefined where it is not known (an offline check without signed checkpoints that carry it).
     */
    private readonly macFrom?: number,
  ) {
    this.#prev = start.hash;
    this.#expected = start.seq + 1;
    this.#lastSeq = start.seq;
    this.#lastMatched = start.seq;
    this.#checkpoints = checkpoints.filter((c) => c.chainSeq > start.seq).sort((a, b) => a.chainSeq - b.chainSeq || a.seq - b.seq);
  }

  report(p: AuditProblem): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
  }

  push(r: WalkRow): void {
    this.#step(r.seq, r.entry?.id ?? null, r.prevHash, r.hash, this.#checkEntry(r));
  }

  /**
   * A row whose entry is there, whose payload still hashes to its payload hash, and whose chain hash the
   * caller recomputed (src/audit/verify.ts, RecordScan.settle, over the canonical line the database built from the entry's
   * columns) and found to hold: what is left to check is its position, its link to the row before, the
   * order of formats and the checkpoints. A row whose line does not hash to its hash goes to push() with
   * its columns instead, so nothing is ever reported from a line. Only without MAC keys: the MAC covers
   * the columns and the payload, which such a row does not carry.
   */
  pushHashed(seq: number, format: number, entryId: number, prevHash: string, hash: string): void {
    if (this.macKeys) throw new Error('ChainWalker.pushHashed: the append MACs are checked from the entry columns (push)');
    this.#step(seq, entryId, prevHash, hash, this.#formatOrder(format, seq, entryId));
  }

  #step(seq: number, entryId: number | null, prevHash: string, hash: string, entryProblem: AuditProblem | undefined): void {
    const before = this.problems.length;
    if (seq !== this.#expected) {
      this.report({ reason: 'sequence_gap', seq, entryId, detail: `链序号应为 ${this.#expected}，实为 ${seq}` });
    }
    if (prevHash !== this.#prev) {
      this.report({ reason: 'prev_hash_mismatch', seq, entryId, detail: `第 ${seq} 条的前序哈希与上一条不符` });
    }
    if (entryProblem) this.report(entryProblem);
    this.#checkCheckpoints(seq, hash);
    if (this.problems.length === before) this.verified++;
    this.#prev = hash;
    this.#expected = seq + 1;
    this.#lastSeq = seq;
  }

  #checkEntry(r: WalkRow): AuditProblem | undefined {
    const { seq } = r;
    const e = r.entry;
    if (!e) return { reason: 'entry_missing', seq, entryId: null, detail: `第 ${seq} 条对应的审计记录缺失` };
    const at = { seq, entryId: e.id };
    // Format 1 predates the MAC: a row labelled so that carries one was written after the switch and relabelled.
    if (r.format === 1 && (e.mac !== null || e.macKid !== null)) {
      return { reason: 'forged', ...at, detail: `第 ${seq} 条（记录编号 ${e.id}）标为旧格式却带有追加认证码：格式已被改标，不是经由追加途径写入的` };
    }
    if (!e.payloadOk) return { reason: 'payload_hash_mismatch', ...at, detail: `第 ${seq} 条审计记录的内容已被改动` };
    let canonical: string;
    if (r.format === 1) canonical = canonicalEntryFromIso(e, e.occurredAt);
    else if (r.format === 2 || r.format === 3) canonical = canonicalEntryV2(e, e.occurredAt, r.sealedAt, r.format);
    else return { reason: 'hash_mismatch', ...at, detail: `第 ${seq} 条的链格式（${r.format}）无法识别` };
    if (chainHashOfCanonical(r.prevHash, canonical, chainHashOfFormat(r.format)) !== r.hash) {
      return { reason: 'hash_mismatch', ...at, detail: `第 ${seq} 条审计记录已被改动，哈希不符` };
    }
    const order = this.#formatOrder(r.format, seq, e.id);
    if (order || r.format === 1 || !this.macKeys) return order;
    const ok = this.macKeys.check(
      {
        id: e.id,
        occurredAt: e.occurredAt,
        actor: e.actor,
        role: e.role,
        action: e.action,
        subjectType: e.subjectType,
        subjectId: e.subjectId,
        agencyCode: e.agencyCode,
        enterpriseCode: e.enterpriseCode,
        districtCode: e.districtCode,
        beforeState: e.beforeState,
        afterState: e.afterState,
        requestId: e.requestId,
        payload: e.payload,
      },
      e.macKid,
      e.mac,
    );
    if (ok) return undefined;
    return e.mac === null
      ? { reason: 'forged', ...at, detail: `第 ${seq} 条（记录编号 ${e.id}）没有追加认证码：不是经由追加途径写入的伪造记录` }
      : { reason: 'forged', ...at, detail: `第 ${seq} 条（记录编号 ${e.id}）的追加认证码不符：该条不是经由追加途径写入，或写入后被改写` };
  }

  /**
   * Entries sealed before the append MAC existed (format 1): only before the recorded switch, and none can
   * follow one sealed after it. A row relabelled format 1 would otherwise dodge the MAC check.
   */
  #formatOrder(format: number, seq: number, entryId: number): AuditProblem | undefined {
    if (format !== 1) {
      this.#seenV2 = true;
      return undefined;
    }
    if (this.macFrom !== undefined && seq >= this.macFrom) {
      return { reason: 'forged', seq, entryId, detail: `第 ${seq} 条标为旧格式（无追加认证码），但自第 ${this.macFrom} 条起每条都须带追加认证码：格式已被改标，不是经由追加途径写入的` };
    }
    if (!this.#seenV2) return undefined;
    return { reason: 'forged', seq, entryId, detail: `第 ${seq} 条以旧格式写在新格式记录之后，不是经由追加途径写入的` };
  }

  #checkCheckpoints(seq: number, hash: string): void {
    while (this.#ci < this.#checkpoints.length && this.#checkpoints[this.#ci]!.chainSeq <= seq) {
      const c = this.#checkpoints[this.#ci++]!;
      if (c.chainSeq < seq) continue; // its position was skipped (a sequence gap, already reported)
      if (c.headHash === hash) {
        this.#lastMatched = seq;
        this.#rehashed = undefined;
        continue;
      }
      if (this.#rehashed) {
        // The same rewritten stretch runs on past the next checkpoint: one problem, extended.
        this.#rehashed.toSeq = seq;
        this.#rehashed.detail = rehashedDetail(this.#rehashed.seq!, seq, c.seq);
        continue;
      }
      this.#rehashed = { reason: 'rehashed', seq: this.#lastMatched + 1, toSeq: seq, entryId: null, checkpointSeq: c.seq, detail: rehashedDetail(this.#lastMatched + 1, seq, c.seq) };
      this.report(this.#rehashed);
    }
  }

  /** Ends the walk: a checkpoint beyond the last row means the tail was cut off. */
  finish(): { headSeq: number; headHash: string } {
    const beyond = this.#checkpoints.slice(this.#ci).filter((c) => c.chainSeq > this.#lastSeq);
    if (beyond.length > 0) {
      const last = beyond.reduce((a, b) => (b.chainSeq > a.chainSeq ? b : a));
      this.report({
        reason: 'truncated',
        seq: this.#lastSeq + 1,
        toSeq: last.chainSeq,
        entryId: null,
        checkpointSeq: last.seq,
        detail: `链尾被截断：第 ${last.seq} 号签名检查点记载链上已有 ${last.chainSeq} 条，现仅存 ${this.#lastSeq} 条（第 ${this.#lastSeq + 1} 至 ${last.chainSeq} 条缺失）`,
      });
    }
    return { headSeq: this.#lastSeq, headHash: this.#prev };
  }
}

function rehashedDetail(from: number, to: number, checkpointSeq: number): string {
  return `第 ${from} 至 ${to} 条与第 ${checkpointSeq} 号签名检查点不符：该段已被改写并重新计算哈希`;
}

/**
 * Whether `hash` is the row format's hash (1 and 2: SHA-256, 3: SM3) of `prevHash ‖ line`: the check
 * push() makes, for a canonical line built elsewhere. One-shot, as it runs once per row of a walk.
 */
export function lineHashHolds(format: number, prevHash: string, line: string, hash: string): boolean {
  return digest(format === 3 ? 'sm3' : 'sha256', prevHash + line, 'hex') === hash;
}

export const GENESIS: WalkStart = { seq: 0, hash: GENESIS_HASH };
