import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sealPending } from '../../src/audit/sealer.js';
import { as, newDistrict, newJusticeBureau } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb, testDriver } from '../support/test-database.js';

describeDb('tamper-evident audit log', () => {
  let t: TestApp;
  let city: ReturnType<typeof as.supervisor>;
  let district: ReturnType<typeof as.supervisor>;

  beforeAll(async () => {
    t = await createTestApp();
    await newDistrict(t.db, { code: '420102', name: '江岸区' });
    await newDistrict(t.db, { code: '420103', name: '江汉区' });
    city = as.supervisor((await newJusticeBureau(t.db)).code);
    district = as.supervisor((await newJusticeBureau(t.db, { level: 'district', districtCode: '420102' })).code, '420102');
    for (const [i, d] of ['420102', '420103', '420102'].entries()) {
      const res = await t.call({
        method: 'POST',
        url: '/api/v1/agencies',
        as: as.admin(),
        payload: { code: `AUD-${i}`, name: `审计测试局${i}`, kind: 'organ', level: 'district', districtCode: d, domains: ['market'] },
      });
      expect(res.statusCode).toBe(201);
    }
  });
  afterAll(() => t.close());

  it('appends an entry per state change with actor, role, action, subject and payload hash', async () => {
    const res = await t.call({ method: 'GET', url: '/api/v1/audit?subjectType=agency', as: city });
    expect(res.statusCode).toBe(200);
    const entries = res.json();
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({ actor: 'admin:test', role: 'admin', action: 'agency.created', subjectType: 'agency', subjectId: 'AUD-2' });
    expect(entries[0].payloadHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('shows a district supervisor only the district’s entries', async () => {
    const res = await t.call({ method: 'GET', url: '/api/v1/audit?subjectType=agency', as: district });
    expect(res.json().map((e: { subjectId: string }) => e.subjectId).sort()).toEqual(['AUD-0', 'AUD-2']);
    const other = await t.call({ method: 'GET', url: '/api/v1/audit?district=420103', as: district });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('OUT_OF_SCOPE');
  });

  it('refuses UPDATE and DELETE on the audit tables in the database itself', async () => {
    await expect(t.db.execute(sql`UPDATE audit_entries SET actor = 'x'`)).rejects.toThrow();
    await expect(t.db.execute(sql`DELETE FROM audit_entries`)).rejects.toThrow();
    await sealPending(t.db, t.clock);
    await expect(t.db.execute(sql`DELETE FROM audit_chain`)).rejects.toThrow();
  });

  it('verifies an intact chain, sealed in order and gap-free', async () => {
    const res = await t.call({ method: 'GET', url: '/api/v1/audit/verify', as: city });
    expect(res.json()).toMatchObject({ ok: true, pending: 0, verified: 3, headSeq: 3 });
    const listed = await t.call({ method: 'GET', url: '/api/v1/audit?subjectType=agency', as: city });
    expect(listed.json().map((e: { seq: number }) => e.seq)).toEqual([3, 2, 1]);
  });

  it('fails verification at the entry a superuser tampered with', async () => {
    const tamper = 'SET session_replication_role = replica; UPDATE audit_entries SET after_state = $$forged$$ WHERE subject_id = $$AUD-1$$; SET session_replication_role = origin;';
    if (testDriver === 'pg') {
      // A separate superuser connection, as an attacker with database access would have.
      const client = new pg.Client({ connectionString: t.testDb.url });
      await client.connect();
      await client.query(tamper);
      await client.end();
    } else {
      // PGlite's only role is a superuser.
      for (const stmt of tamper.split(';').filter((x) => x.trim())) await t.db.execute(sql.raw(stmt));
    }
    const res = await t.call({ method: 'GET', url: '/api/v1/audit/verify', as: city });
    const report = res.json();
    expect(report.ok).toBe(false);
    // Every problem is listed, not only the first: the entries around the edited one still verify.
    expect(report.verified).toBe(2);
    expect(report.problems).toHaveLength(1);
    expect(report.brokenAt).toMatchObject({ seq: 2, reason: 'hash_mismatch' });
    expect(report.brokenAt.detail).toContain('第 2 条');
  });

  it('detects a changed payload even when the chained columns are untouched', async () => {
    const other = await createTestApp();
    try {
      await newDistrict(other.db, { code: '420104', name: '硚口区' });
      // This database's own city bureau: a supervisor is resolved against the registry it calls.
      const otherCity = as.supervisor((await newJusticeBureau(other.db)).code);
      await other.call({ method: 'POST', url: '/api/v1/districts', as: as.admin(), payload: { code: 'P1', name: '测试区', kind: 'functional', sort: 1 } });
      await sealPending(other.db, other.clock);
      const stmts = ['SET session_replication_role = replica', `UPDATE audit_entries SET payload = jsonb_set(payload, '{name}', '"篡改"')`, 'SET session_replication_role = origin'];
      if (testDriver === 'pg') {
        const client = new pg.Client({ connectionString: other.testDb.url });
        await client.connect();
        for (const s of stmts) await client.query(s);
        await client.end();
      } else {
        for (const s of stmts) await other.db.execute(sql.raw(s));
      }
      const report = (await other.call({ method: 'GET', url: '/api/v1/audit/verify', as: otherCity })).json();
      expect(report).toMatchObject({ ok: false, brokenAt: { seq: 1, reason: 'payload_hash_mismatch' } });
    } finally {
      await other.close();
    }
  });
});
