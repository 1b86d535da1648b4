import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { canonicalEntryFromIso, canonicalEntryV2, chainHashOfCanonical, GENESIS_HASH } from '../../src/audit/canonical.js';
import { verificationBytes, type Checkpoint } from '../../src/audit/checkpoint.js';
import { exportSegment } from '../../src/audit/export.js';
import { parseCheckpoints, parseSegment, verifySegment } from '../../src/audit/offline.js';
import { AuditRollbackError, checkpointNow, CheckpointWitness, sealPending } from '../../src/audit/sealer.js';
import { verifyChain } from '../../src/audit/verify.js';
import { as, newJusticeBureau } from '../support/factories.js';
import { asSuperuser } from '../support/superuser.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * 第八条、第二十四条：行政检查全过程记录、可追溯。The attacks of issue 23 on the audit log, each as a database
 * superuser (triggers bypassed): relabelling rows as the format without a MAC, cutting the chain back and
 * letting the sealer sign again under the same number, asking the sealer to sign behind, and altering a
 * verification record. Each must be named by verification or refused by the sealer.
 */
let t: TestApp;
let city: ReturnType<typeof as.supervisor>;
let n = 0;
let dir: string;
let witnessFile: string;
let cp: Checkpoint;

async function change(): Promise<void> {
  n += 1;
  const res = await t.call({ method: 'POST', url: '/api/v1/districts', as: as.admin(), payload: { code: `W${n}`, name: `见证测试区${n}`, kind: 'functional', sort: n } });
  expect(res.statusCode).toBe(201);
}

const verify = async (full = true) => (await t.call({ method: 'GET', url: `/api/v1/audit/verify${full ? '?full=true' : ''}`, as: city })).json();
const rowsOf = <T>(res: unknown) => (res as { rows: T[] }).rows;
/** The chain's head once what has committed is sealed. */
async function head(): Promise<number> {
  await sealPending(t.db, t.clock);
  return Number(rowsOf<{ seq: string }>(await t.db.execute(sql`SELECT max(seq) AS seq FROM audit_chain`))[0]!.seq);
}

/** Cuts the chain after `keep` (and the entries chained past it), as an owner rolling the log back would. */
const cutAfter = (keep: number) => [
  `DELETE FROM audit_chain WHERE seq > ${keep}`,
  `DELETE FROM domain_events d WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.entry_id = d.audit_entry_id)`,
  `DELETE FROM audit_entries e WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.entry_id = e.id)`,
];

/** Rewrites rows `from`..`to` as format 1 (optionally without their MACs) and rehashes the whole chain with the project's own functions. */
async function relabelAsFormat1(from: number, to: number, dropMacs: boolean): Promise<void> {
  await sealPending(t.db, t.clock);
  const rows = await exportSegment(t.db, 1, 10_000);
  let prev = GENESIS_HASH;
  const updates: string[] = [];
  for (const r of rows) {
    const { payloadText: _p, ...e } = r.entry!;
    const legacy = r.seq >= from && r.seq <= to;
    const entry = legacy && dropMacs ? { ...e, mac: null, macKid: null } : e;
    const hash = chainHashOfCanonical(prev, legacy ? canonicalEntryFromIso(entry, entry.occurredAt) : canonicalEntryV2(entry, entry.occurredAt, r.sealedAt));
    if (legacy && dropMacs) updates.push(`UPDATE audit_entries SET mac = NULL, mac_kid = NULL WHERE id = ${e.id}`);
    updates.push(`UPDATE audit_chain SET format = ${legacy ? 1 : r.format}, prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${r.seq}`);
    prev = hash;
  }
  await asSuperuser(t.testDb, updates);
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'audit-witness-'));
  witnessFile = join(dir, 'audit-witness.json');
  t = await createTestApp();
  city = as.supervisor((await newJusticeBureau(t.db)).code);
  for (let i = 0; i < 5; i++) await change();
  cp = (await t.call({ method: 'POST', url: '/api/v1/audit/checkpoints', as: city })).json();
  await change();
  await change();
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describeDb('第八条、第二十四条 审计日志：格式与追加认证码的切换点绑定', () => {
  it('records the switch to MACs and signs it into every checkpoint', async () => {
    expect(cp.macFrom).toBe(1);
    const report = await verify();
    expect(report).toMatchObject({ ok: true, macFrom: 1 });
  });

  it('names rows relabelled as format 1 (no MAC) after the switch forged, even with checkpoints and verification records deleted', async () => {
    await asSuperuser(t.testDb, [`UPDATE audit_entries SET after_state = 'forged' WHERE id = (SELECT entry_id FROM audit_chain WHERE seq = 3)`]);
    await relabelAsFormat1(1, 6, true);
    await asSuperuser(t.testDb, ['DELETE FROM audit_checkpoints', 'DELETE FROM audit_verifications']);
    // After a restart: no checkpoint in the database, none remembered by the process.
    const report = await verifyChain(t.db, { keyring: t.keyring, macKeys: t.app.services.auditMac, full: true, now: t.clock.now() });
    expect(report.ok).toBe(false);
    expect(report.problems.filter((p) => p.reason === 'forged').map((p) => p.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(report.problems[0]!.detail).toContain('须带追加认证码');
    // The same without the MAC keys (a routine check that hashes canonical lines).
    const lines = await verifyChain(t.db, { keyring: t.keyring, full: true, now: t.clock.now() });
    expect(lines.problems.filter((p) => p.reason === 'forged').map((p) => p.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('names a format-1 row that carries a MAC forged, wherever the switch record was moved', async () => {
    await relabelAsFormat1(2, 3, false);
    await asSuperuser(t.testDb, ['UPDATE audit_format_switch SET mac_from = 1000', 'DELETE FROM audit_checkpoints']);
    for (const macKeys of [t.app.services.auditMac, undefined]) {
      const report = await verifyChain(t.db, { keyring: t.keyring, macKeys, full: true, now: t.clock.now() });
      expect(report.problems.filter((p) => p.reason === 'forged')).toEqual([
        expect.objectContaining({ seq: 2, detail: expect.stringContaining('带有追加认证码') }),
        expect.objectContaining({ seq: 3 }),
      ]);
    }
  });

  it('holds the chain to the switch a checkpoint signed when the record in the database is moved', async () => {
    await relabelAsFormat1(1, 2, true);
    await asSuperuser(t.testDb, ['UPDATE audit_format_switch SET mac_from = 1000']);
    const report = await verify();
    expect(report.macFrom).toBe(1);
    expect(report.problems.filter((p: { reason: string }) => p.reason === 'forged').map((p: { seq: number }) => p.seq)).toEqual([1, 2]);
  });

  it('the offline verifier takes the switch from the published checkpoints', async () => {
    const published = (await t.call({ method: 'GET', url: '/.well-known/audit-checkpoints' })).json();
    await relabelAsFormat1(1, 2, true);
    const rows = parseSegment((await t.call({ method: 'GET', url: '/api/v1/audit/export', as: city })).body);
    const report = verifySegment({ rows: rows.filter((r) => r.seq <= 2), checkpoints: parseCheckpoints(published), keys: published.keys });
    expect(report.macFrom).toBe(1);
    expect(report.problems.map((p) => [p.reason, p.seq])).toEqual([
      ['forged', 1],
      ['forged', 2],
    ]);
  });
});

describeDb('第八条、第二十四条 审计日志：检查点按链位置与链头哈希比对，签发者不向回签', () => {
  it('a checkpoint deleted with the cut tail is not signed again under its number: the sealer refuses and verification names the rollback', async () => {
    const witness = new CheckpointWitness(witnessFile);
    const policy = { keyring: t.keyring, intervalMs: 60_000, witness };
    const cp2 = (await checkpointNow(t.db, t.clock, policy))!;
    expect(cp2).toMatchObject({ seq: 2, chainSeq: cp.chainSeq + 2 });
    await asSuperuser(t.testDb, ['DELETE FROM audit_checkpoints WHERE seq = 2', ...cutAfter(cp.chainSeq)]);
    for (let i = 0; i < 3; i++) await change();
    t.clock.advance(61_000);
    await sealPending(t.db, t.clock, policy);
    const list = (await t.call({ method: 'GET', url: '/.well-known/audit-checkpoints' })).json().checkpoints;
    expect(list.map((c: Checkpoint) => c.seq)).toEqual([1]);
    expect(witness.rollback).toMatchObject({ reason: 'rehashed', seq: cp2.chainSeq, checkpointSeq: 2 });

    // After a restart, from the witness file alone.
    const restarted = new CheckpointWitness(witnessFile);
    expect(restarted.latest).toEqual(cp2);
    const report = await verifyChain(t.db, { keyring: t.keyring, macKeys: t.app.services.auditMac, witness: restarted, full: true, now: t.clock.now() });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: 'checkpoint_missing', checkpointSeq: 2 }),
        expect.objectContaining({ reason: 'rehashed', toSeq: cp2.chainSeq, checkpointSeq: 2 }),
      ]),
    );
    await expect(checkpointNow(t.db, t.clock, { ...policy, witness: restarted })).rejects.toBeInstanceOf(AuditRollbackError);
  });

  it('a number signed again at another position (by an instance without the witness) is a conflict, found by position and hash', async () => {
    const witness = new CheckpointWitness(witnessFile);
    const cp2 = (await checkpointNow(t.db, t.clock, { keyring: t.keyring, intervalMs: 60_000, witness }))!;
    await asSuperuser(t.testDb, ['DELETE FROM audit_checkpoints WHERE seq = 2', ...cutAfter(cp.chainSeq)]);
    for (let i = 0; i < 3; i++) await change();
    // Another instance, which never saw checkpoint 2, signs the cut-back log: its number 2 lies elsewhere.
    const other = (await checkpointNow(t.db, t.clock, { keyring: t.keyring, intervalMs: 60_000, witness: new CheckpointWitness() }))!;
    expect(other).toMatchObject({ seq: 2 });
    expect(other.chainSeq === cp2.chainSeq && other.headHash === cp2.headHash).toBe(false);
    const report = await verifyChain(t.db, { keyring: t.keyring, macKeys: t.app.services.auditMac, witness: new CheckpointWitness(witnessFile), full: true, now: t.clock.now() });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: 'checkpoint_conflict', checkpointSeq: 2 }),
        expect.objectContaining({ reason: 'rehashed', checkpointSeq: 2 }),
      ]),
    );
  });

  it('online, the same attack on the running server: verification is not ok after the sealer’s next turn', async () => {
    const cp2 = (await t.call({ method: 'POST', url: '/api/v1/audit/checkpoints', as: city })).json();
    await asSuperuser(t.testDb, ['DELETE FROM audit_checkpoints WHERE seq = 2', ...cutAfter(cp.chainSeq)]);
    for (let i = 0; i < 3; i++) await change();
    t.clock.advance(61_000);
    await sealPending(t.db, t.clock, { keyring: t.keyring, intervalMs: 60_000, witness: t.app.services.auditWitness });
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(expect.arrayContaining([expect.objectContaining({ reason: 'rehashed', toSeq: cp2.chainSeq, checkpointSeq: 2 })]));
  });

  it('refuses to sign behind the last signed checkpoint, or at its position with another hash (AUDIT_ROLLBACK)', async () => {
    const cp2 = (await t.call({ method: 'POST', url: '/api/v1/audit/checkpoints', as: city })).json();
    await asSuperuser(t.testDb, cutAfter(cp2.chainSeq - 1));
    const behind = await t.call({ method: 'POST', url: '/api/v1/audit/checkpoints', as: city });
    expect(behind.statusCode).toBe(409);
    expect(behind.json()).toMatchObject({ code: 'AUDIT_ROLLBACK' });
    await change();
    expect(await head()).toBe(cp2.chainSeq); // the same position again, with another entry there
    const same = await t.call({ method: 'POST', url: '/api/v1/audit/checkpoints', as: city });
    expect(same.statusCode).toBe(409);
    expect(same.json().detail).toContain(`第 ${cp2.chainSeq} 条`);
  });
});

describeDb('第八条、第二十四条 审计日志：校验记录载明链位置与链头哈希并签名', () => {
  it('signs the position and head hash it verified', async () => {
    await verify(false);
    const [rec] = rowsOf<{ checkpoint_seq: number; chain_seq: string; head_hash: string; verified_at: Date; kid: string; signature: string }>(
      await t.db.execute(sql`SELECT checkpoint_seq, chain_seq, head_hash, verified_at, kid, signature FROM audit_verifications ORDER BY id DESC LIMIT 1`),
    );
    expect(rec).toMatchObject({ checkpoint_seq: 1, head_hash: cp.headHash });
    expect(Number(rec!.chain_seq)).toBe(cp.chainSeq);
    const body = { checkpointSeq: 1, chainSeq: cp.chainSeq, headHash: cp.headHash, verifiedAt: new Date(rec!.verified_at).toISOString(), kid: rec!.kid };
    expect(t.keyring.verifyBytes(verificationBytes(body), rec!.kid, rec!.signature)).toBe(true);
    expect(t.keyring.verifyBytes(verificationBytes({ ...body, chainSeq: cp.chainSeq + 2 }), rec!.kid, rec!.signature)).toBe(false);
  });

  it('an altered verification record is not trusted: the routine check starts from the genesis and finds the edit', async () => {
    await verify(false);
    await asSuperuser(t.testDb, [`UPDATE audit_entries SET actor = 'someone-else' WHERE id = (SELECT entry_id FROM audit_chain WHERE seq = ${cp.chainSeq + 1})`]);
    // The owner moves the record past the edited row, with the hash found there.
    const last = await head();
    await asSuperuser(t.testDb, [`UPDATE audit_verifications SET chain_seq = ${last}, head_hash = (SELECT hash FROM audit_chain WHERE seq = ${last})`]);
    const routine = await verify(false);
    expect(routine).toMatchObject({ ok: false, mode: 'full', startSeq: 0 });
    expect(routine.problems).toEqual([expect.objectContaining({ reason: 'hash_mismatch', seq: cp.chainSeq + 1 })]);
  });
});
