import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { AuditProblem } from './chain-walk.js';
import type { Checkpoint } from './checkpoint.js';

/**
 * The newest checkpoint this process has signed or verified (见证), kept where the database owner cannot
 * reach it: in memory and, with a file (AUDIT_WITNESS_FILE, under DATA_DIR by default), across restarts. The
 * sealer never signs a position behind it, nor its position with another hash; verification compares the
 * chain with it by position and head hash. So cutting the chain back and deleting the checkpoints that
 * vouched for the cut part does not pass, even after a restart and however the checkpoints are renumbered.
 */
export class CheckpointWitness {
  latest: Checkpoint | undefined;
  /** Set when the database was found behind the witness (rolled back), by the sealer or at start. */
  rollback: AuditProblem | undefined;

  constructor(readonly file?: string) {
    if (file && existsSync(file)) this.latest = parseWitness(readFileSync(file, 'utf8'), file);
  }

  /**
   * Takes a checkpoint signed here, or one read from the database whose signature the caller checked, when it
   * is further along the chain than the one kept. Never one behind: the kept one is what the database is held to.
   */
  see(c: Checkpoint): void {
    const w = this.latest;
    if (w && !(c.chainSeq > w.chainSeq || (c.chainSeq === w.chainSeq && c.seq > w.seq && c.headHash === w.headHash))) return;
    this.latest = c;
    if (this.file) {
      mkdirSync(dirname(this.file), { recursive: true });
      // Written aside and renamed: a crash mid-write leaves the previous witness, never half of one.
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(c)}\n`, { mode: 0o600 });
      renameSync(tmp, this.file);
    }
  }
}

function parseWitness(text: string, file: string): Checkpoint {
  const c = JSON.parse(text) as Partial<Checkpoint>;
  const int = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!int(c.seq) || !int(c.chainSeq) || typeof c.headHash !== 'string' || typeof c.signedAt !== 'string' || typeof c.kid !== 'string' || typeof c.signature !== 'string') {
    throw new Error(`${file}: not an audit checkpoint witness (seq, chainSeq, headHash, signedAt, kid, signature)`);
  }
  return c as Checkpoint;
}

/**
 * Whether the chain still holds the witnessed checkpoint: as long as it is, and with its head hash at its
 * position. The problem names the rollback otherwise (truncated: cut short; rehashed: another hash there).
 */
export async function witnessProblem(db: Db, w: Checkpoint): Promise<AuditProblem | undefined> {
  const res = await db.execute<{ hash: string | null; head: string | number | null }>(
    sql`SELECT (SELECT hash FROM audit_chain WHERE seq = ${w.chainSeq}) AS hash, (SELECT max(seq) FROM audit_chain) AS head`,
  );
  const row = (res as unknown as { rows: { hash: string | null; head: string | number | null }[] }).rows[0];
  const head = Number(row?.head ?? 0);
  if (head < w.chainSeq) {
    return {
      reason: 'truncated',
      seq: head + 1,
      toSeq: w.chainSeq,
      entryId: null,
      checkpointSeq: w.seq,
      detail: `审计日志已被回退：本系统留存的第 ${w.seq} 号签名检查点记载链上已有 ${w.chainSeq} 条，数据库中现仅有 ${head} 条`,
    };
  }
  if (row?.hash !== w.headHash) {
    return {
      reason: 'rehashed',
      seq: w.chainSeq,
      toSeq: w.chainSeq,
      entryId: null,
      checkpointSeq: w.seq,
      detail: `审计日志已被改写：第 ${w.chainSeq} 条的哈希与本系统留存的第 ${w.seq} 号签名检查点不符`,
    };
  }
  return undefined;
}
