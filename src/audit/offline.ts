import { createHash } from 'node:crypto';
import type { PublishedKey } from '../codes/keyring.js';
import { publishedPublicKey } from '../codes/published-keys.js';
import { ChainWalker, GENESIS, type AuditProblem, type WalkRow, type WalkStart } from './chain-walk.js';
import { checkpointSignatureValid, type Checkpoint } from './checkpoint.js';
import type { ExportedRow } from './export.js';
import type { AuditMacKeys } from './mac.js';

/**
 * Verification of an exported segment with nothing but public material: the published checkpoints and
 * the keys that signed them (GET /.well-known/audit-checkpoints), and the segment (GET /api/v1/audit/export).
 * The append MACs are checked only when the verifier is given the MAC key file (a supervisor's copy);
 * without it, forged rows that were chained are caught only through the checkpoints. Entries that never
 * reached the chain are not in a segment: that check needs the database (GET /api/v1/audit/verify).
 */
export interface OfflineReport {
  ok: boolean;
  fromSeq: number;
  toSeq: number;
  rows: number;
  verified: number;
  /** The switch to append MACs the segment was held to (from the checkpoints that sign it), if any. */
  macFrom: number | null;
  /** Whether the segment's first row links to the genesis or to a signed checkpoint. */
  anchored: boolean;
  checkpointsChecked: number;
  /** Checkpoints past the segment's end, not compared (unless the segment reaches the head). */
  checkpointsBeyond: number;
  macChecked: boolean;
  problems: AuditProblem[];
}

export interface OfflineInput {
  rows: ExportedRow[];
  /** From one or several copies (taken at different times); duplicates count once. */
  checkpoints: Checkpoint[];
  keys: PublishedKey[];
  macKeys?: AuditMacKeys;
  /** The segment runs to the chain's head: a checkpoint beyond its end means the tail was cut off. */
  toHead?: boolean;
  /** The switch to append MACs, when known otherwise; the earliest one a genuine checkpoint signed applies anyway. */
  macFrom?: number;
}

export function parseSegment(ndjson: string): ExportedRow[] {
  return ndjson
    .split('\n')
    .filter((l) => l.trim())
    .map((line, i) => {
      try {
        return JSON.parse(line) as ExportedRow;
      } catch (e) {
        throw new Error(`line ${i + 1}: ${(e as Error).message}`);
      }
    });
}

/** Accepts the well-known response ({ checkpoints, keys }) or a bare array of checkpoints. */
export function parseCheckpoints(json: unknown): Checkpoint[] {
  const list = Array.isArray(json) ? json : (json as { checkpoints?: unknown } | null)?.checkpoints;
  if (!Array.isArray(list)) throw new Error('expected an array of checkpoints, or { "checkpoints": [...] }');
  return list as Checkpoint[];
}

function toWalkRow(r: ExportedRow): WalkRow {
  const e = r.entry;
  let payload: unknown;
  let payloadOk = false;
  if (e) {
    payloadOk = createHash('sha256').update(e.payloadText, 'utf8').digest('hex') === e.payloadHash;
    try {
      payload = JSON.parse(e.payloadText);
    } catch {
      payloadOk = false;
    }
  }
  const { payloadText: _text, ...rest } = e ?? { payloadText: '' };
  return { seq: r.seq, format: r.format, prevHash: r.prevHash, hash: r.hash, sealedAt: r.sealedAt, entry: e ? { ...(rest as Omit<NonNullable<ExportedRow['entry']>, 'payloadText'>), payloadOk, payload } : null };
}

export function verifySegment(input: OfflineInput): OfflineReport {
  const problems: AuditProblem[] = [];
  const valid: Checkpoint[] = [];
  // Copies taken at different times overlap: identical checkpoints count once.
  const distinct = new Map<string, Checkpoint>();
  for (const c of input.checkpoints) distinct.set(JSON.stringify([c.seq, c.chainSeq, c.headHash, c.signedAt, c.kid, c.macFrom ?? null, c.signature]), c);
  const sorted = [...distinct.values()].sort((a, b) => a.seq - b.seq);
  let expected = sorted[0]?.seq ?? 1;
  for (const c of sorted) {
    if (c.seq > expected) problems.push({ reason: 'checkpoint_missing', seq: null, entryId: null, checkpointSeq: expected, detail: `签名检查点第 ${expected} 至 ${c.seq - 1} 号缺失` });
    expected = Math.max(expected, c.seq + 1);
    if (!checkpointSignatureValid(publishedPublicKey(input.keys, c.kid), c)) {
      problems.push({ reason: 'checkpoint_invalid', seq: c.chainSeq, entryId: null, checkpointSeq: c.seq, detail: `第 ${c.seq} 号签名检查点的签名无效` });
      continue;
    }
    if (valid.some((v) => v.seq === c.seq)) {
      problems.push({ reason: 'checkpoint_conflict', seq: c.chainSeq, entryId: null, checkpointSeq: c.seq, detail: `第 ${c.seq} 号签名检查点有两个不同版本：审计日志曾被截断或回退后重新签发` });
    }
    const before = valid.filter((v) => v.seq < c.seq).at(-1);
    if (before && (c.chainSeq < before.chainSeq || (c.chainSeq === before.chainSeq && c.headHash !== before.headHash))) {
      problems.push({ reason: 'checkpoint_conflict', seq: c.chainSeq, entryId: null, checkpointSeq: c.seq, detail: `第 ${c.seq} 号签名检查点记载的链位置（第 ${c.chainSeq} 条）不在第 ${before.seq} 号（第 ${before.chainSeq} 条）之后：日志曾被回退后重新签发` });
    }
    valid.push(c);
  }
  const signedSwitch = valid.map((c) => c.macFrom).filter((v): v is number => typeof v === 'number');
  const macFrom = signedSwitch.length > 0 || input.macFrom !== undefined ? Math.min(...signedSwitch, input.macFrom ?? Infinity) : undefined;
  const rows = [...input.rows].sort((a, b) => a.seq - b.seq);
  const first = rows[0];
  const last = rows.at(-1);
  let start: WalkStart = GENESIS;
  let anchored = true;
  if (first && first.seq > 1) {
    anchored = valid.some((c) => c.chainSeq === first.seq - 1 && c.headHash === first.prevHash);
    start = { seq: first.seq - 1, hash: first.prevHash };
  }
  const lastSeq = last?.seq ?? start.seq;
  const usable = input.toHead ? valid : valid.filter((c) => c.chainSeq <= lastSeq);
  const walker = new ChainWalker(start, usable, input.macKeys, macFrom);
  for (const p of problems) walker.report(p);
  for (const r of rows) walker.push(toWalkRow(r));
  walker.finish();
  return {
    ok: walker.problems.length === 0,
    fromSeq: first?.seq ?? 0,
    toSeq: lastSeq,
    rows: rows.length,
    verified: walker.verified,
    anchored,
    checkpointsChecked: usable.filter((c) => c.chainSeq > start.seq && c.chainSeq <= lastSeq).length,
    checkpointsBeyond: valid.filter((c) => c.chainSeq > lastSeq).length,
    macChecked: input.macKeys !== undefined,
    macFrom: macFrom ?? null,
    problems: walker.problems,
  };
}
