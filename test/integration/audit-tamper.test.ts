import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { canonicalEntryV2, chainHashOfCanonical, GENESIS_HASH } from '../../src/audit/canonical.js';
import { checkpointSignatureValid, type Checkpoint } from '../../src/audit/checkpoint.js';
import { exportSegment } from '../../src/audit/export.js';
import { parseCheckpoints, parseSegment, verifySegment } from '../../src/audit/offline.js';
import { sealPending } from '../../src/audit/sealer.js';
import { verifyChain } from '../../src/audit/verify.js';
import { publishedPublicKey } from '../../src/codes/published-keys.js';
import { as, newDistrict, newJusticeBureau } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';
import { asSuperuser } from '../support/superuser.js';

/**
 * 第八条、第二十四条：行政检查全过程记录、可追溯。The attacks of issue 14, each carried out as a database
 * superuser (triggers bypassed), and where verification must name each one.
 */
let t: TestApp;
let city: ReturnType<typeof as.supervisor>;
let n = 0;


/** One audited state change: an admin creates a functional district. */
async function change(): Promise<void> {
  n += 1;
  const res = await t.call({ method: 'POST', url: '/api/v1/districts', as: as.admin(), payload: { code: `T${n}`, name: `测试功能区${n}`, kind: 'functional', sort: n } });
  expect(res.statusCode).toBe(201);
}

const verify = async (full = true) => (await t.call({ method: 'GET', url: `/api/v1/audit/verify${full ? '?full=true' : ''}`, as: city })).json();
const checkpoint = async (): Promise<Checkpoint> => {
  const res = await t.call({ method: 'POST', url: '/api/v1/audit/checkpoints', as: city });
  expect(res.statusCode).toBe(201);
  return res.json();
};

async function lastEntryId(): Promise<number> {
  const res = await t.db.execute<{ id: string }>(sql`SELECT max(id) AS id FROM audit_entries`);
  return Number((res as unknown as { rows: { id: string }[] }).rows[0]!.id);
}

// Five entries, a signed checkpoint at 5 (plus the bureau's own entries before them), two more after it.
let cp: Checkpoint;
beforeEach(async () => {
  t = await createTestApp();
  city = as.supervisor((await newJusticeBureau(t.db)).code);
  for (let i = 0; i < 5; i++) await change();
  cp = await checkpoint();
  await change();
  await change();
});
afterEach(() => t.close());

describeDb('第八条、第二十四条 审计日志全过程可追溯：签名检查点', () => {
  it('an intact log verifies against its append MACs and the signed checkpoint', async () => {
    const report = await verify();
    expect(report).toMatchObject({ ok: true, mode: 'full', macChecked: true, problems: [], headSeq: cp.chainSeq + 2, checkpoints: 1 });
    expect(report.latestCheckpoint).toMatchObject({ seq: 1, chainSeq: cp.chainSeq, headHash: cp.headHash });
  });

  it('publishes the checkpoints with the keys that verify them, for anyone to keep a copy', async () => {
    const res = await t.call({ method: 'GET', url: '/.well-known/audit-checkpoints' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.checkpoints).toEqual([cp]);
    const key = publishedPublicKey(body.keys, cp.kid);
    expect(checkpointSignatureValid(key, cp)).toBe(true);
    expect(checkpointSignatureValid(key, { ...cp, chainSeq: cp.chainSeq - 1 })).toBe(false);
    expect((await t.call({ method: 'GET', url: '/.well-known/audit-checkpoints?after=1' })).json().checkpoints).toEqual([]);
    const bad = await t.call({ method: 'GET', url: '/.well-known/audit-checkpoints?after=-1' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });

  it('reports a truncated tail: the checkpoint vouches for entries no longer in the chain', async () => {
    const keep = cp.chainSeq - 2;
    await asSuperuser(t.testDb, [
      `DELETE FROM audit_chain WHERE seq > ${keep}`,
      `DELETE FROM audit_entries e WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.entry_id = e.id)`,
    ]);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ reason: 'truncated', seq: keep + 1, toSeq: cp.chainSeq, checkpointSeq: 1 })]);
    expect(report.problems[0].detail).toContain('链尾被截断');
  });

  it('reports a stretch rewritten and rehashed with the project’s own function, and the rewritten entry', async () => {
    const target = 3;
    await asSuperuser(t.testDb, [`UPDATE audit_entries SET after_state = 'forged' WHERE id = (SELECT entry_id FROM audit_chain WHERE seq = ${target})`]);
    // Recompute every hash from the edited entry on, exactly as the sealer would.
    const rows = await exportSegment(t.db, 1, 1000);
    let prev = GENESIS_HASH;
    const updates: string[] = [];
    for (const r of rows) {
      const { payloadText: _p, ...entry } = r.entry!;
      const hash = chainHashOfCanonical(prev, canonicalEntryV2(entry, entry.occurredAt, r.sealedAt));
      if (r.seq >= target) updates.push(`UPDATE audit_chain SET prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${r.seq}`);
      prev = hash;
    }
    await asSuperuser(t.testDb, updates);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({ reason: 'forged', seq: target }),
      expect.objectContaining({ reason: 'rehashed', seq: 1, toSeq: cp.chainSeq, checkpointSeq: 1 }),
    ]);
  });

  it('reports a forged, back-dated entry written into the sealer’s queue, at the position it was chained', async () => {
    const id = (await lastEntryId()) + 1000;
    await asSuperuser(t.testDb, [
      `INSERT INTO audit_entries (id, occurred_at, actor, role, action, subject_type, subject_id, payload, payload_hash)
         VALUES (${id}, '2025-12-01T00:00:00Z', 'head:WH-SCJG', 'agency_head', 'inspection.approved', 'inspection', 'x', '{}'::jsonb,
                 encode(sha256(convert_to('{}', 'UTF8')), 'hex'))`,
      `INSERT INTO audit_pending (entry_id) VALUES (${id})`,
    ]);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ reason: 'forged', seq: cp.chainSeq + 3, entryId: id })]);
    expect(report.problems[0].detail).toContain('伪造');
  });

  it('reports an entry taken out of the sealer’s queue before it was chained', async () => {
    await change();
    const id = await lastEntryId();
    await asSuperuser(t.testDb, [`DELETE FROM audit_pending WHERE entry_id = ${id}`]);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ reason: 'unchained', seq: null, entryId: id })]);
  });

  it('reports an entry left in the queue past the sealing delay', async () => {
    await sealPending(t.db, t.clock);
    await change();
    const id = await lastEntryId();
    t.clock.advance(t.config.auditSealOverdueMs + 1000);
    // Verify without the route's own sealing pass, as a supervisor's check between sealer runs would see it.
    const report = await verifyChain(t.db, { keyring: t.keyring, macKeys: t.app.services.auditMac, now: t.clock.now(), sealDelayMs: t.config.auditSealOverdueMs, full: true });
    expect(report.problems).toEqual([expect.objectContaining({ reason: 'seal_overdue', entryId: id })]);
  });

  it('hashes the request id: changing it is an edit', async () => {
    await asSuperuser(t.testDb, [`UPDATE audit_entries SET request_id = 'another-request' WHERE id = (SELECT entry_id FROM audit_chain WHERE seq = 2)`]);
    const report = await verify();
    expect(report.problems).toEqual([expect.objectContaining({ reason: 'hash_mismatch', seq: 2 })]);
  });

  it('starts a routine check at the last verified checkpoint; a full check still walks everything', async () => {
    expect((await verify(false)).mode).toBe('full');
    const routine = await verify(false);
    expect(routine).toMatchObject({ ok: true, mode: 'incremental', startSeq: cp.chainSeq, verified: 2 });
    await asSuperuser(t.testDb, [`UPDATE audit_entries SET actor = 'someone-else' WHERE id = (SELECT entry_id FROM audit_chain WHERE seq = 2)`]);
    expect((await verify(false)).ok).toBe(true);
    expect((await verify(true)).problems).toEqual([expect.objectContaining({ reason: 'hash_mismatch', seq: 2 })]);
  });

  it('reports checkpoints deleted along with the tail while this process remembers the newest', async () => {
    await checkpoint();
    await asSuperuser(t.testDb, [
      `DELETE FROM audit_checkpoints`,
      `DELETE FROM audit_chain WHERE seq > ${cp.chainSeq}`,
      `DELETE FROM audit_entries e WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.entry_id = e.id)`,
    ]);
    const reasons = (await verify()).problems.map((p: { reason: string }) => p.reason);
    expect(reasons).toContain('checkpoint_missing');
    expect(reasons).toContain('truncated');
  });

  it('the sealer signs a checkpoint once the interval has run and the head has moved, not before', async () => {
    const policy = { keyring: t.keyring, intervalMs: 60_000, witness: t.app.services.auditWitness };
    await change();
    await sealPending(t.db, t.clock, policy);
    const list = async () => (await t.call({ method: 'GET', url: '/.well-known/audit-checkpoints' })).json().checkpoints;
    expect(await list()).toHaveLength(1);
    t.clock.advance(61_000);
    await sealPending(t.db, t.clock, policy);
    const after = await list();
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({ seq: 2, chainSeq: cp.chainSeq + 3 });
    t.clock.advance(61_000);
    await sealPending(t.db, t.clock, policy); // the head did not move: nothing new to sign
    expect(await list()).toHaveLength(2);
  });

  it('exports a segment that verifies offline against the published checkpoints alone', async () => {
    const published = (await t.call({ method: 'GET', url: '/.well-known/audit-checkpoints' })).json();
    await sealPending(t.db, t.clock);
    const exported = (await t.call({ method: 'GET', url: '/api/v1/audit/export', as: city })).body;
    const rows = parseSegment(exported);
    const report = verifySegment({ rows, checkpoints: parseCheckpoints(published), keys: published.keys, macKeys: t.app.services.auditMac, toHead: true });
    expect(report).toMatchObject({ ok: true, rows: cp.chainSeq + 2, anchored: true, checkpointsChecked: 1, macChecked: true });
    const tampered = rows.map((r) => (r.seq === 1 ? { ...r, entry: { ...r.entry!, payloadText: r.entry!.payloadText.replace('测试', '篡改') } } : r));
    expect(verifySegment({ rows: tampered, checkpoints: published.checkpoints, keys: published.keys }).problems).toEqual([
      expect.objectContaining({ reason: 'payload_hash_mismatch', seq: 1 }),
    ]);
  });

  it('exports the chain to the city level only (it interleaves every district’s entries)', async () => {
    await newDistrict(t.db, { code: '420102', name: '江岸区' });
    const district = as.supervisor((await newJusticeBureau(t.db, { level: 'district', districtCode: '420102' })).code, '420102');
    expect((await t.call({ method: 'GET', url: '/api/v1/audit/export', as: district })).statusCode).toBe(403);
    const res = await t.call({ method: 'GET', url: '/api/v1/audit/export?fromSeq=2&limit=3', as: city });
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    expect(res.body.trim().split('\n').map((l) => JSON.parse(l).seq)).toEqual([2, 3, 4]);
  });
});
