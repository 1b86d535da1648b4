import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode } from '../../seeds/credit-codes.js';
import { as, newDistrict, newEnterprise } from '../support/factories.js';
import { approvedInspection, draftBody, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('what the Order covers, who escalates and who inspects beyond its territory (Art. 2, 4, 11, 12, 40(9), 42)', () => {
  let t: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-04-02T09:00:00+08:00' });
    w = await newInspectionWorld(t);
  });
  afterAll(() => t.close());

  const draft = (over: Record<string, unknown>, by = w.officer) => t.call({ method: 'POST', url: '/api/v1/inspections', as: by, payload: draftBody(w, over) });
  const code = (id: string, by = w.officer) => t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: by });
  const total = async () => (await t.call({ method: 'GET', url: '/api/v1/stats/dashboard?year=2026', as: w.supervisor })).json().inspections.total as number;

  describe('第二条第二款、第四条第二款 不适用本办法的检查', () => {
    // The relation is evidence (issue 22): the registry holds it here, so the check is outside the Order.
    const holds = async (agencyCode: string, enterpriseCode: string, relation: string) => {
      const res = await t.call({ method: 'POST', url: '/api/v1/agency-relations', as: as.admin(), payload: { agencyCode, enterpriseCode, relation, source: '登记名录' } });
      expect(res.statusCode, res.body).toBe(201);
    };

    it('records a check of a subordinate unit as outside the Order: no guard, no code, started without one, not in the statistics', async () => {
      const before = await total();
      await holds(w.agency.code, w.enterprise.creditCode, 'subordinate_unit');
      // An unpublished matter and no plan would refuse it under the Order (Art. 7, 13); outside it they do not apply.
      const res = await draft({ excludedRelation: 'subordinate_unit', matterCodes: ['NOT-PUBLISHED'] });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body.inspection).toMatchObject({ underOrder: false, excludedRelation: 'subordinate_unit', countsTowardCap: false });
      expect(body.checks).toMatchObject([{ rule: 'SCOPE_EXCLUDED_RELATION', article: '第二条', passed: false }]);
      const id = body.inspection.id as string;
      expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/approve`, as: w.head, payload: {} })).statusCode).toBe(200);
      expect((await code(id)).json()).toMatchObject({ code: 'SCOPE_NO_CODE', article: '第二条、第四条' });
      const started = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/start`, as: w.officer, payload: {} });
      expect(started.statusCode, started.body).toBe(200);
      expect(started.json().state).toBe('in_progress');
      expect(await total()).toBe(before);
    });

    it('does not count an excluded check toward the enterprise’s caps (Art. 15 applies to inspections under the Order)', async () => {
      const enterprise = await newEnterprise(t.db, { districtCode: w.districtCode });
      await holds(w.agency.code, enterprise.creditCode, 'subordinate_unit');
      for (let n = 0; n < 2; n++) {
        const id = await approvedInspection(t, w, { enterpriseCode: enterprise.creditCode, excludedRelation: 'subordinate_unit' });
        expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/start`, as: w.officer, payload: {} })).statusCode).toBe(200);
      }
      // The yearly cap is 2: both checks above are outside the Order, so this one still gets its code.
      const id = await approvedInspection(t, w, { enterpriseCode: enterprise.creditCode });
      expect((await code(id)).statusCode).toBe(201);
    });

    it('treats an inspection of a 事业单位 as outside the Order', async () => {
      const institution = await newEnterprise(t.db, { districtCode: w.districtCode, entityType: 'public_institution', name: '武汉市某研究院' });
      const res = await draft({ enterpriseCode: institution.creditCode });
      expect(res.json().inspection).toMatchObject({ entityScope: 'out_of_scope', underOrder: false });
      expect(res.json().checks).toMatchObject([{ rule: 'SCOPE_ENTITY', article: '第四条、第四十二条' }]);
    });
  });

  describe('第四十二条 个体工商户、农民专业合作社等参照本办法执行', () => {
    it('inspects an individual business under the Order’s rules, code and all', async () => {
      const shop = await newEnterprise(t.db, { districtCode: w.districtCode, entityType: 'individual_business', name: '武昌区某小吃店' });
      const id = await approvedInspection(t, w, { enterpriseCode: shop.creditCode });
      expect((await code(id)).statusCode).toBe(201);
      expect((await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: w.officer })).json().inspection).toMatchObject({ entityScope: 'by_reference', underOrder: true });
    });
  });

  describe('第四条 主体类型须与统一社会信用代码（GB 32100）相符', () => {
    it('refuses an entity type the credit code contradicts, naming the field', async () => {
      const creditCode = makeCreditCode('limited_company', '420106', 4_242_001);
      const payload = { creditCode, name: '武汉某有限公司', districtCode: w.districtCode, address: '武昌区中北路9号', entityType: 'public_institution' };
      const res = await t.call({ method: 'POST', url: '/api/v1/enterprises', as: as.admin(), payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].field).toBe('body.entityType');
      expect(res.json().detail).toContain('事业单位');
      expect((await t.call({ method: 'POST', url: '/api/v1/enterprises', as: as.admin(), payload: { ...payload, entityType: 'limited_company' } })).statusCode).toBe(201);
      const patch = await t.call({ method: 'PATCH', url: `/api/v1/enterprises/${creditCode}`, as: as.admin(), payload: { entityType: 'foundation' } });
      expect(patch.json().errors[0].field).toBe('body.entityType');
    });
  });

  describe('第十一条第二款 上级行政执法主体实施检查的情形', () => {
    const cityOfficer = () => as.officer(w.city.code);

    it('accepts only the article’s grounds, not free text', async () => {
      const res = await draft({ agencyCode: w.city.code, escalationGround: '领导要求' }, cityOfficer());
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].field).toBe('body.escalationGround');
    });

    it('requires the designation or assignment document for ground (三), and accepts it with one', async () => {
      const without = await approvedInspection(t, w, { agencyCode: w.city.code, escalationGround: 'designated_or_assigned' }, cityOfficer());
      const refused = (await code(without, cityOfficer())).json();
      expect(refused).toMatchObject({ code: 'JURISDICTION_TERRITORIAL', article: '第十一条' });
      expect(refused.detail).toContain('第十一条第二款第（三）项');
      const withRef = await approvedInspection(t, w, { agencyCode: w.city.code, escalationGround: 'designated_or_assigned', escalationRef: '武政办交〔2026〕12号' }, cityOfficer());
      expect((await code(withRef, cityOfficer())).statusCode).toBe(201);
    });
  });

  describe('第十二条、第四十条第（九）项 异地检查按异地协助机制实施', () => {
    it('registers a division, an agency and an enterprise beyond Wuhan', async () => {
      const admin = as.admin();
      const bad = await t.call({ method: 'POST', url: '/api/v1/districts', as: admin, payload: { code: '420106', name: '武昌区', kind: 'outside' } });
      expect(bad.json().errors[0].field).toBe('body.code');
      for (const d of [{ code: '420500', name: '宜昌市' }, { code: '420502', name: '宜昌市西陵区' }]) {
        expect((await t.call({ method: 'POST', url: '/api/v1/districts', as: admin, payload: { ...d, kind: 'outside' } })).statusCode).toBe(201);
      }
      const agency = await t.call({ method: 'POST', url: '/api/v1/agencies', as: admin, payload: { code: 'YC-SCJG', name: '宜昌市市场监督管理局', kind: 'organ', level: 'city', districtCode: '420500', domains: ['food'] } });
      expect(agency.statusCode, agency.body).toBe(201);
      const creditCode = makeCreditCode('limited_company', '420502', 4_242_002);
      const ent = await t.call({ method: 'POST', url: '/api/v1/enterprises', as: admin, payload: { creditCode, name: '宜昌某食品有限公司', districtCode: '420502', address: '宜昌市西陵区某路1号', entityType: 'limited_company' } });
      expect(ent.statusCode, ent.body).toBe(201);
    });

    it('refuses a Wuhan agency’s inspection of an enterprise beyond Wuhan without the assistance arrangement, and allows it with one', async () => {
      const creditCode = makeCreditCode('limited_company', '420502', 4_242_002);
      const without = await approvedInspection(t, w, { enterpriseCode: creditCode });
      const refused = (await code(without)).json();
      expect(refused).toMatchObject({ code: 'CROSS_REGION_NO_ASSISTANCE', article: '第十二条、第四十条第（九）项' });
      expect(refused.detail).toContain('武汉市外');
      const withRef = await approvedInspection(t, w, { enterpriseCode: creditCode, assistanceRef: '宜昌市市场监督管理局协查函〔2026〕3号' });
      expect((await code(withRef)).statusCode).toBe(201);
    });

    it('flags a visit an enterprise reports from an agency outside its territory with no code (the detector half)', async () => {
      const other = await newDistrict(t.db, { name: '江夏区' });
      const shop = await newEnterprise(t.db, { districtCode: other.code });
      const res = await t.call({
        method: 'POST',
        url: '/api/v1/enterprise-reports',
        as: as.enterprise(shop.creditCode),
        payload: { visitedAt: '2026-04-01T10:00:00+08:00', agencyCode: w.agency.code, description: '外区市场监管局人员来店检查，未出示检查码' },
      });
      expect(res.statusCode, res.body).toBe(201);
      const rules = res.json().flags.map((f: { rule: string }) => f.rule);
      expect(rules).toContain('CROSS_REGION_NO_ASSISTANCE');
      expect(res.json().flags.find((f: { rule: string }) => f.rule === 'CROSS_REGION_NO_ASSISTANCE').article).toBe('第十二条、第四十条第（九）项');
    });
  });
});
