import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appendAudit, type AuditInput } from '../../src/audit/append.js';
import { as, newAgency, newDistrict, newEnterprise, newJusticeBureau } from '../support/factories.js';
import { asSuperuser } from '../support/superuser.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * 第八条、第二十四条 (全过程记录、可追溯) with Art. 6 (区级监督): an audit entry is filed under a district so
 * the district's supervisors see it. When the command does not name the district, appendAudit derives it in
 * SQL from the agency (else the enterprise) in the statement that draws the entry's id, so the append MAC
 * covers the district as stored, and changing it afterwards is caught like any other edit.
 */
let t: TestApp;
let city: ReturnType<typeof as.supervisor>;

async function append(input: Omit<AuditInput, 'at' | 'actor' | 'role' | 'action' | 'subjectType'>): Promise<number> {
  return t.db.transaction((tx) => appendAudit(tx, { at: t.clock.now(), actor: 'test', role: 'admin', action: 'test.recorded', subjectType: 'test', ...input }, t.app.services.auditMac));
}

async function stored(id: number): Promise<{ entry: string | null; event: string | null }> {
  const res = await t.db.execute<{ entry: string | null; event: string | null }>(
    sql`SELECT a.district_code AS entry, e.district_code AS event FROM audit_entries a LEFT JOIN domain_events e ON e.audit_entry_id = a.id WHERE a.id = ${id}`,
  );
  return (res as unknown as { rows: { entry: string | null; event: string | null }[] }).rows[0]!;
}

const verify = async () => (await t.call({ method: 'GET', url: '/api/v1/audit/verify?full=true', as: city })).json();
const seal = async () => expect((await t.call({ method: 'POST', url: '/api/v1/audit/checkpoints', as: city })).statusCode).toBe(201);

beforeAll(async () => {
  t = await createTestApp();
  city = as.supervisor((await newJusticeBureau(t.db)).code);
});
afterAll(() => t?.close());

describeDb('第八条、第二十四条 审计条目的辖区由数据库从行政执法主体（或企业）推得，并受追加认证码保护', () => {
  it('files an entry under the agency’s district, else the enterprise’s; a district given is kept; a city agency stays city-level', async () => {
    const district = await newDistrict(t.db);
    const agency = await newAgency(t.db, { districtCode: district.code });
    const cityAgency = await newAgency(t.db);
    const enterprise = await newEnterprise(t.db);
    const other = await newDistrict(t.db);

    expect(await stored(await append({ subjectId: 'a', agencyCode: agency.code, enterpriseCode: enterprise.creditCode }))).toEqual({ entry: district.code, event: district.code });
    expect(await stored(await append({ subjectId: 'e', enterpriseCode: enterprise.creditCode }))).toEqual({ entry: enterprise.districtCode, event: enterprise.districtCode });
    expect((await stored(await append({ subjectId: 'c', agencyCode: cityAgency.code, enterpriseCode: enterprise.creditCode }))).entry).toBeNull();
    expect((await stored(await append({ subjectId: 'g', agencyCode: agency.code, districtCode: other.code }))).entry).toBe(other.code);
    expect((await stored(await append({ subjectId: 'n', agencyCode: agency.code, districtCode: null }))).entry).toBeNull();
    expect((await stored(await append({ subjectId: 'x' }))).entry).toBeNull();
  });

  it('verifies the derived district against the entry’s MAC, and reports it changed afterwards', async () => {
    const district = await newDistrict(t.db);
    const agency = await newAgency(t.db, { districtCode: district.code });
    const id = await append({ subjectId: 'tamper', agencyCode: agency.code });
    await seal();
    expect(await verify()).toMatchObject({ ok: true, macChecked: true, problems: [] });

    const elsewhere = await newDistrict(t.db);
    await asSuperuser(t.testDb, [`UPDATE audit_entries SET district_code = '${elsewhere.code}' WHERE id = ${id}`]);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(JSON.stringify(report.problems)).toContain(String(id));
  });
});
