import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { flags } from '../../src/db/schema/index.js';
import { as, newMatter } from '../support/factories.js';
import { registerPlatform, type RegisteredPlatform } from '../support/exchange-factories.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { issuedCode } from '../support/supervision-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * 第四十条第（七）项：禁止重复检验、检疫、检测或者技术鉴定，除直接涉及人民群众健康的食品药品等产品外。
 * A repeat is a second test of the same product and batch; another product or batch of the same matter is a
 * new test; food and drugs are excepted, whoever reports the test (the officer's findings or the enterprise).
 */
describeDb('第四十条第（七）项 禁止重复检验、检疫、检测或者技术鉴定，食品药品等产品除外', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let p: RegisteredPlatform;
  let equipment: string;
  let lead = 0;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 100 });
    // Not food or drugs: a repeated test of it is what Art. 40(7) forbids.
    equipment = (await newMatter(t.db, w.agency.code, { name: '特种设备安全监督检查', domain: 'market', foodDrug: false })).matterCode;
    p = await registerPlatform(t, { importAgencies: [w.agency.code] });
    // The tests an upper-level platform already recorded (第二十四条: results shared between the platforms).
    const rows = [
      { sourceId: 'TZSB-2026-101', matterCodes: [equipment], sampledProduct: '曳引钢丝绳', sampledBatch: 'B-2026-03' },
      { sourceId: 'TZSB-2026-102', matterCodes: [equipment] },
      { sourceId: 'SP-2026-201', matterCodes: [w.matter], sampledProduct: '鲜牛奶', sampledBatch: 'N-0301' },
    ].map((r, n) => ({
      agencyCode: w.agency.code,
      enterpriseCode: w.enterprise.creditCode,
      kind: 'case',
      mode: 'onsite',
      windowStart: `2026-03-1${n}T09:00:00+08:00`,
      windowEnd: `2026-03-1${n}T12:00:00+08:00`,
      outcome: 'no_violation',
      sampled: true,
      ...r,
    }));
    const res = await t.call({ method: 'POST', url: '/api/v1/imports/inspections', headers: { ...p.headers, 'content-type': 'application/x-ndjson' }, payload: rows.map((r) => JSON.stringify(r)).join('\n') });
    expect(res.json().created, res.body).toBe(3);
  });
  afterAll(() => t.close());

  /** A case inspection of `matter` that tests samples of the given product and batch; returns its REPEATED_TESTING flags. */
  async function testAgain(matter: string, sampling: Record<string, unknown>) {
    lead += 1;
    const id = await approvedInspection(t, w, { kind: 'case', leadKind: 'complaint', leadRef: `TS-2026-07${String(lead).padStart(2, '0')}`, matterCodes: [matter] });
    expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/start`, as: w.officer, payload: {} })).statusCode).toBe(200);
    const res = await t.call({
      method: 'POST',
      url: `/api/v1/inspections/${id}/findings`,
      as: w.officer,
      payload: { methods: ['sampling'], items: [{ item: '抽样检测', result: 'compliant' }], outcome: { kind: 'no_violation' }, sampling: { samples: 2, costBorneBy: 'agency', ...sampling } },
    });
    expect(res.statusCode, res.body).toBe(200);
    return t.db.select().from(flags).where(and(eq(flags.rule, 'REPEATED_TESTING'), eq(flags.subjectId, id)));
  }

  describe('执法人员记录的检测', () => {
    it('a test of another product of the same matter is a new test, not a repeat', async () => {
      expect(await testAgain(equipment, { product: '限速器', batch: 'B-2026-03' })).toEqual([]);
    });

    it('a test of the same product but another batch is a new test, not a repeat', async () => {
      expect(await testAgain(equipment, { product: '曳引钢丝绳', batch: 'B-2026-04' })).toEqual([]);
    });

    it('a test with no product named cannot be shown to repeat an earlier one', async () => {
      expect(await testAgain(equipment, {})).toEqual([]);
    });

    it('a test of the same product and batch repeats it: flagged under 第四十条第（七）项, naming the earlier test, with no duty read into 第二十四条', async () => {
      const [flag, ...more] = await testAgain(equipment, { product: ' 曳引钢丝绳', batch: 'B-2026-03 ' });
      expect(more).toEqual([]);
      expect(flag!.article).toBe('第四十条第（七）项');
      expect(flag!.detail).toContain('TZSB-2026-101');
      expect(flag!.detail).toContain('曳引钢丝绳');
      expect(flag!.detail).toContain('第四十条第（七）项');
      expect(flag!.detail).not.toContain('应当');
      expect(flag!.observed).toMatchObject({ earlierTests: [expect.objectContaining({ product: '曳引钢丝绳', batch: 'B-2026-03' })] });
    });

    it('a test of food of the same product and batch is excepted (食品药品等产品除外)', async () => {
      expect(await testAgain(w.matter, { product: '鲜牛奶', batch: 'N-0301' })).toEqual([]);
      expect(await testAgain(w.matter, { product: '鲜牛奶', batch: 'N-0301', repeatOfEarlierTest: true })).toEqual([]);
    });

    it('the officer’s own record of a repeat is still flagged for a matter that is not food or drugs', async () => {
      expect(await testAgain(equipment, { product: '安全阀', repeatOfEarlierTest: true })).toHaveLength(1);
    });
  });

  describe('企业报告勾选重复检测', () => {
    let ent: Principal;
    let foodVisit: { code: string };
    let equipmentVisit: { code: string };

    beforeAll(async () => {
      ent = as.enterprise(w.enterprise.creditCode);
      foodVisit = await issuedCode(t, w, { windowStart: '2026-04-20T09:00:00+08:00', windowEnd: '2026-04-20T17:00:00+08:00' });
      equipmentVisit = await issuedCode(t, w, { matterCodes: [w.offsiteMatter], onsiteReason: '需现场查看公示信息所载经营场所', windowStart: '2026-04-21T09:00:00+08:00', windowEnd: '2026-04-21T17:00:00+08:00' });
      t.clock.set('2026-04-25T09:00:00+08:00');
    });

    const report = (visitedAt: string, code: string) =>
      t.call({ method: 'POST', url: '/api/v1/enterprise-reports', as: ent, payload: { visitedAt, agencyCode: w.agency.code, codeShown: code, description: '检查人员再次抽取同一批次产品送检', prohibitions: ['repeated_testing'] } });

    it('a visit whose matters are all food or drugs raises no REPEATED_TESTING, and the answer says why', async () => {
      const res = await report('2026-04-20T10:00:00+08:00', foodVisit.code);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().flags).toEqual([]);
      expect(res.json().notesZh).toEqual([expect.stringContaining('食品药品')]);
    });

    it('a visit for a matter that is not food or drugs raises REPEATED_TESTING under 第四十条第（七）项', async () => {
      const res = await report('2026-04-21T10:00:00+08:00', equipmentVisit.code);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().flags).toMatchObject([{ rule: 'REPEATED_TESTING', article: '第四十条第（七）项' }]);
      expect(res.json().notesZh).toBeUndefined();
    });
  });
});
