import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspections } from '../../src/db/schema/index.js';
import { newAgency, newEnterprise, newMatter } from '../support/factories.js';
import { registerPlatform, type RegisteredPlatform } from '../support/exchange-factories.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * A “综合查一次” joint visit recorded on an upper-level platform (Art. 29: 应用上级主管部门工作平台实施“综合查一次”检查的，
 * 产生的数据应当与……云平台实现信息共享) arrives as one row: the row's agency is the lead unit (发起单位), `cooperating`
 * names the cooperating units (协同单位) with their matters and, optionally, their results.
 */
describeDb('第二十六条、第二十九条 上级平台报送的“综合查一次”联合检查', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let p: RegisteredPlatform;
  let outsider: { code: string; matter: string };

  // The lead is the city bureau, the cooperating unit the district bureau: the world's cap is 1 a year per agency.
  const jointRow = (enterpriseCode: string, over: Record<string, unknown> = {}) => ({
    sourceId: 'ZHCYC-2026-0001',
    agencyCode: w.city.code,
    enterpriseCode,
    kind: 'routine',
    mode: 'onsite',
    matterCodes: [w.matter],
    windowStart: '2026-03-10T09:00:00+08:00',
    windowEnd: '2026-03-10T12:00:00+08:00',
    sourceCode: 'HB-JOINT-0001',
    outcome: 'no_violation',
    cooperating: [{ agencyCode: w.agency.code, matterCodes: [w.matter], outcome: 'rectification' }],
    ...over,
  });
  const ndjson = (rows: unknown[]) => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n');
  const post = (body: string, contentType = 'application/x-ndjson') =>
    t.call({ method: 'POST', url: '/api/v1/imports/inspections', headers: { ...p.headers, 'content-type': contentType }, payload: body });
  const rowsAt = (enterpriseCode: string) => t.db.select().from(inspections).where(eq(inspections.enterpriseCode, enterpriseCode));
  const auditCount = async () => {
    const res = await t.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_entries`);
    return (res as unknown as { rows: { n: number }[] }).rows[0]!.n;
  };

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 1 });
    const other = await newAgency(t.db, { name: '武汉市消防救援支队（测试）', domains: ['fire'] });
    outsider = { code: other.code, matter: (await newMatter(t.db, other.code, { name: '消防安全检查', domain: 'fire', foodDrug: false })).matterCode };
    p = await registerPlatform(t, { importAgencies: [w.agency.code, w.city.code] });
  });
  afterAll(() => t.close());

  describe('逐行校验：发起单位、每个协同单位及其检查事项均须在平台报送范围和检查事项清单内', () => {
    it('a batch with a joint visit, its duplicate and bad rows: the right per-row report, the refused rows written nowhere', async () => {
      const e = await newEnterprise(t.db, { districtCode: w.districtCode });
      const before = await auditCount();
      const res = await post(
        ndjson([
          jointRow(e.creditCode),
          jointRow(e.creditCode), // resent in the same batch: changes nothing
          jointRow(e.creditCode, { sourceId: 'OUT-OF-SCOPE', cooperating: [{ agencyCode: outsider.code, matterCodes: [outsider.matter] }] }),
          jointRow(e.creditCode, { sourceId: 'NOT-LISTED', cooperating: [{ agencyCode: w.agency.code, matterCodes: ['NO-SUCH-MATTER'] }] }),
          jointRow(e.creditCode, { sourceId: 'LEAD-TWICE', cooperating: [{ agencyCode: w.city.code, matterCodes: [w.matter] }] }),
          jointRow(e.creditCode, { sourceId: 'JOINT-CASE', kind: 'case' }),
          jointRow(e.creditCode, { sourceId: 'BAD#ID' }),
        ]),
      );
      expect(res.statusCode, res.body).toBe(200);
      const report = res.json();
      expect(report).toMatchObject({ received: 7, created: 1, unchanged: 1, refused: 5 });
      const [created, again] = report.rows;
      expect(created).toMatchObject({ status: 'created', sourceVersion: 1, parts: [{ agencyCode: w.agency.code, status: 'created' }] });
      expect(again).toMatchObject({ status: 'unchanged', inspectionId: created.inspectionId, parts: [{ agencyCode: w.agency.code, inspectionId: created.parts[0].inspectionId, status: 'unchanged' }] });
      const fields = report.rows.slice(2).map((r: { errors: { field: string }[] }) => r.errors.map((x) => x.field));
      expect(fields).toEqual([['cooperating'], ['cooperating'], ['cooperating'], ['cooperating'], ['sourceId']]);
      expect(report.rows[2].errors[0].message).toContain('无权');
      expect(report.rows[3].errors[0].message).toContain('NO-SUCH-MATTER');

      // One visit, two rows: the lead's with the platform's code, the cooperating unit's with its own result.
      const stored = await rowsAt(e.creditCode);
      expect(stored.map((r) => r.sourceId).sort()).toEqual(['ZHCYC-2026-0001', `ZHCYC-2026-0001#${w.agency.code}`]);
      const lead = stored.find((r) => r.agencyCode === w.city.code)!;
      const part = stored.find((r) => r.agencyCode === w.agency.code)!;
      expect(lead).toMatchObject({ state: 'recorded', sourceCode: 'HB-JOINT-0001', countsTowardCap: true, outcome: { kind: 'no_violation' } });
      expect(part).toMatchObject({ state: 'recorded', sourceCode: null, countsTowardCap: true, kind: 'routine', countedDate: lead.countedDate, outcome: { kind: 'rectification' } });
      expect(part.windowStart.toISOString()).toBe(lead.windowStart.toISOString());
      // Audited: each row once on creation, plus the batch.
      expect((await auditCount()) - before).toBe(3);
    });

    it('reads a joint visit from CSV: units separated by |, agency:matter;matter:result', async () => {
      const e = await newEnterprise(t.db, { districtCode: w.districtCode });
      const csv = [
        'sourceId,agencyCode,enterpriseCode,kind,mode,matterCodes,windowStart,windowEnd,sourceCode,cooperating',
        `CSV-JOINT-1,${w.city.code},${e.creditCode},routine,onsite,${w.matter},2026-03-12T09:00:00+08:00,2026-03-12T10:00:00+08:00,HB-2,${w.agency.code}:${w.matter}:no_violation`,
        `CSV-JOINT-2,${w.city.code},${e.creditCode},routine,onsite,${w.matter},2026-03-12T09:00:00+08:00,2026-03-12T10:00:00+08:00,HB-3,${w.agency.code}`,
      ].join('\r\n');
      const report = (await post(csv, 'text/csv')).json();
      expect(report).toMatchObject({ created: 1, refused: 1 });
      expect(report.rows[0].parts).toEqual([{ agencyCode: w.agency.code, inspectionId: expect.any(String), status: 'created' }]);
      expect(report.rows[1].errors.map((x: { field: string }) => x.field)).toEqual(['cooperating']);
      expect((await rowsAt(e.creditCode)).map((r) => r.sourceId).sort()).toEqual(['CSV-JOINT-1', `CSV-JOINT-1#${w.agency.code}`]);
    });
  });

  describe('第十五条、第二十八条 联合检查按参加单位分别计入频次上限', () => {
    it('an imported joint visit’s cooperating part uses up that agency’s cap: the next code here is refused', async () => {
      const e = await newEnterprise(t.db, { districtCode: w.districtCode });
      const report = (await post(ndjson([jointRow(e.creditCode, { sourceId: 'CAP-JOINT-1' })]))).json();
      expect(report.created, JSON.stringify(report)).toBe(1);
      const id = await approvedInspection(t, w, { enterpriseCode: e.creditCode });
      const code = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer });
      expect(code.statusCode, code.body).toBe(422);
      expect(code.json()).toMatchObject({ code: 'FREQUENCY_CAP', article: '第十五条、第四十条第（十）项' });
    });
  });

  describe('第二十六条 “综合查一次”比例：报送的联合检查计为一次联合检查', () => {
    it('counts an imported joint visit once as a joint visit in the dashboard and the joint statistics', async () => {
      // Led by the district bureau (in the supervisor's jurisdiction), the city bureau cooperating.
      const e = await newEnterprise(t.db, { districtCode: w.districtCode });
      const dashboard = async () => (await t.call({ method: 'GET', url: '/api/v1/stats/dashboard?year=2026', as: w.supervisor })).json().jointRate as { jointVisits: number; onsiteVisits: number };
      const stats = async () => {
        const res = await t.call({ method: 'GET', url: '/api/v1/stats/joint-inspections?year=2026', as: w.supervisor });
        expect(res.statusCode, res.body).toBe(200);
        return (res.json().byAgency as { agencyCode: string; onsiteVisits: number; jointVisits: number }[]).find((a) => a.agencyCode === w.agency.code) ?? { onsiteVisits: 0, jointVisits: 0 };
      };
      const [boardBefore, statsBefore] = [await dashboard(), await stats()];
      const row = jointRow(e.creditCode, { sourceId: 'RATE-JOINT', agencyCode: w.agency.code, cooperating: [{ agencyCode: w.city.code, matterCodes: [w.matter] }] });
      expect((await post(ndjson([row]))).json().created).toBe(1);
      const [boardAfter, statsAfter] = [await dashboard(), await stats()];
      expect({ joint: boardAfter.jointVisits - boardBefore.jointVisits, onsite: boardAfter.onsiteVisits - boardBefore.onsiteVisits }).toEqual({ joint: 1, onsite: 1 });
      expect({ joint: statsAfter.jointVisits - statsBefore.jointVisits, onsite: statsAfter.onsiteVisits - statsBefore.onsiteVisits }).toEqual({ joint: 1, onsite: 1 });
    });
  });

  describe('按来源系统和来源编号去重：重复报送不改变任何数据，更正形成新版本并留痕', () => {
    it('a resent batch changes nothing; a correction versions the changed part; a part cannot silently vanish', async () => {
      const e = await newEnterprise(t.db, { districtCode: w.districtCode });
      const batch = ndjson([jointRow(e.creditCode, { sourceId: 'RESEND-JOINT' })]);
      const first = (await post(batch)).json();
      const snapshot = async () => (await rowsAt(e.creditCode)).map((r) => ({ ...r })).sort((a, b) => a.id.localeCompare(b.id));
      const stored = await snapshot();
      const audits = await auditCount();
      const again = (await post(batch)).json();
      expect(again).toMatchObject({ created: 0, corrected: 0, unchanged: 1 });
      expect(await snapshot()).toEqual(stored);
      expect((await auditCount()) - audits).toBe(1); // the batch itself only

      const corrected = (
        await post(ndjson([jointRow(e.creditCode, { sourceId: 'RESEND-JOINT', cooperating: [{ agencyCode: w.agency.code, matterCodes: [w.matter], outcome: 'no_violation' }] })]))
      ).json();
      expect(corrected.rows[0]).toMatchObject({ status: 'corrected', sourceVersion: 2, inspectionId: first.rows[0].inspectionId, parts: [{ status: 'corrected', inspectionId: first.rows[0].parts[0].inspectionId }] });
      const [part] = await t.db.select().from(inspections).where(and(eq(inspections.id, first.rows[0].parts[0].inspectionId)));
      expect(part).toMatchObject({ sourceVersion: 2, outcome: { kind: 'no_violation' } });

      const dropped = (await post(ndjson([jointRow(e.creditCode, { sourceId: 'RESEND-JOINT', cooperating: undefined })]))).json();
      expect(dropped.rows[0]).toMatchObject({ status: 'refused', errors: [{ field: 'cooperating' }] });
      expect((await rowsAt(e.creditCode)).every((r) => r.sourceVersion === 2)).toBe(true);
    });
  });
});
