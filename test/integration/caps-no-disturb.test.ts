import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, newEnterprise } from '../support/factories.js';
import { approvedInspection, draftBody, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { newInspection, newNoDisturb } from '../support/plan-factories.js';
import { offsiteBody } from '../support/referral-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('第十五条、第三十二条 频次上限计入的检查方式与“无事不扰”清单', () => {
  let t: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    t = await createTestApp();
    // One on-site routine inspection a year (the published cap names no off-site mode).
    w = await newInspectionWorld(t, { cap: 1 });
  });
  afterAll(() => t.close());

  const offsite = (over: Record<string, unknown> = {}) => t.call({ method: 'POST', url: '/api/v1/offsite-inspections', as: w.officer, payload: offsiteBody(w, over) });
  const frequency = (creditCode: string, query: string) =>
    t.call({ method: 'GET', url: `/api/v1/enterprises/${creditCode}/frequency?agency=${w.agency.code}&matter=${w.offsiteMatter}&date=2026-04-03&${query}`, as: w.officer });

  describe('第十五条 a cap counts the modes it names, on-site only unless the published cap says otherwise', () => {
    it('accepts an off-site check at an enterprise whose on-site cap is used up, and the view says which modes count', async () => {
      t.clock.set('2026-04-03T10:00:00+08:00');
      const e = await newEnterprise(t.db, { districtCode: w.districtCode });
      await newInspection(t.db, { agencyCode: w.agency.code, enterpriseCode: e.creditCode, matterCodes: [w.matter], countedDate: '2026-03-02', state: 'closed' });
      const onsite = (await frequency(e.creditCode, 'mode=onsite')).json();
      expect(onsite).toMatchObject({ mode: 'onsite', allowed: false, caps: [{ modes: ['onsite'], used: 1, limit: 1, remaining: 0 }] });
      const res = await offsite({ enterpriseCode: e.creditCode });
      expect(res.statusCode, res.body).toBe(201);
      expect((await frequency(e.creditCode, 'mode=offsite')).json()).toMatchObject({ mode: 'offsite', allowed: true, caps: [] });
    });

    it('refuses an off-site check where a published cap counts off-site checks too', async () => {
      t.clock.set('2026-04-03T10:00:00+08:00');
      const e = await newEnterprise(t.db, { districtCode: w.districtCode });
      const cap = await t.call({
        method: 'POST',
        url: '/api/v1/frequency-rules',
        as: as.admin(),
        payload: { issuerLevel: 'province', issuerName: '湖北省市场监督管理局', documentNo: '鄂市监〔2026〕3号（测试）', scopeKind: 'matter', scopeValue: w.offsiteMatter, modes: ['onsite', 'offsite'], period: 'year', maxCount: 1, effectiveFrom: '2026-01-01' },
      });
      expect(cap.statusCode, cap.body).toBe(201);
      expect(cap.json().modes).toEqual(['onsite', 'offsite']);
      expect((await offsite({ enterpriseCode: e.creditCode })).statusCode).toBe(201);
      const second = await offsite({ enterpriseCode: e.creditCode });
      expect(second.statusCode).toBe(422);
      expect(second.json()).toMatchObject({ code: 'FREQUENCY_CAP', article: '第十五条、第四十条第（十）项' });
      expect(second.json().detail).toContain('现场和非现场');
      const view = (await frequency(e.creditCode, 'mode=offsite')).json();
      expect(view.caps).toMatchObject([{ modes: ['onsite', 'offsite'], used: 1, remaining: 0 }]);
      // Retired again so later tests see only the world's on-site cap.
      await t.call({ method: 'POST', url: `/api/v1/frequency-rules/${cap.json().id}/retire`, as: as.admin(), payload: { effectiveTo: '2026-04-02' } });
    });
  });

  describe('“无事不扰”清单 its own rule with its own basis, never against off-site or case inspections', () => {
    it('refuses an on-site routine code with NO_DISTURB citing the list, not 第十五条, and without “无线索”', async () => {
      t.clock.set('2026-04-01T10:00:00+08:00');
      const quiet = await newEnterprise(t.db, { districtCode: w.districtCode });
      await newNoDisturb(t.db, quiet.creditCode, { agencyCode: null, fromDate: '2026-01-01', basis: '武昌区人民政府办公室武昌政办〔2026〕2号（测试）' });
      const id = await approvedInspection(t, w, { enterpriseCode: quiet.creditCode });
      const res = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer });
      expect(res.statusCode).toBe(422);
      const body = res.json();
      expect(body).toMatchObject({ code: 'NO_DISTURB', rule: 'NO_DISTURB' });
      expect(body.article).not.toContain('第十五条');
      expect(body.article).toContain('无事不扰');
      expect(body.detail).toContain('武昌政办〔2026〕2号');
      expect(body.detail).not.toContain('无线索');
    });

    it('lets an off-site check and an on-site case inspection go ahead at a listed enterprise (第三十二条, 第九条)', async () => {
      t.clock.set('2026-04-03T10:00:00+08:00');
      const quiet = await newEnterprise(t.db, { districtCode: w.districtCode });
      await newNoDisturb(t.db, quiet.creditCode, { agencyCode: null, fromDate: '2026-01-01' });
      const res = await offsite({ enterpriseCode: quiet.creditCode });
      expect(res.statusCode, res.body).toBe(201);
      const drafted = await t.call({
        method: 'POST',
        url: '/api/v1/inspections',
        as: w.officer,
        payload: draftBody(w, { enterpriseCode: quiet.creditCode, kind: 'case', leadKind: 'complaint', leadRef: 'TS-2026-0401' }),
      });
      expect(drafted.statusCode, drafted.body).toBe(201);
      expect(drafted.json().checks.filter((c: { rule: string; passed: boolean }) => c.rule === 'NO_DISTURB' && !c.passed)).toEqual([]);
    });
  });
});
