import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referrals } from '../../src/db/schema/index.js';
import { as, newAgency, newJusticeBureau } from '../support/factories.js';
import { newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { findingsWithReferrals } from '../support/referral-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describe('第二十三条 涉嫌犯罪的，按照《行政执法机关移送涉嫌犯罪案件的规定》办理', () => {
  describeDb('本单位管辖的违法行为涉嫌犯罪：不经行政移送，由负责人批准直接移送公安机关', () => {
    let t: TestApp;
    let w: InspectionWorld;
    let inspectionId: string;
    let transferId: string;

    beforeAll(async () => {
      t = await createTestApp();
      w = await newInspectionWorld(t);
      // An inspection of the agency's own matter, whose findings name no violation outside its jurisdiction.
      inspectionId = (await findingsWithReferrals(t, w, '2026-05-12T15:00:00+08:00', [])).inspectionId;
    });
    afterAll(() => t.close());

    const body = (over: Record<string, unknown> = {}) => ({
      enterpriseCode: w.enterprise.creditCode,
      description: '生产销售的熟食制品中检出国家禁用的非食用物质，涉嫌生产、销售有毒、有害食品罪',
      evidence: [{ kind: 'sample', ref: 'CY-2026-0512-01', description: '抽样检验报告及样品封存记录' }],
      documentNo: '武昌市监移〔2026〕12号',
      receivingOrgan: '武汉市公安局武昌区分局',
      inspectionId,
      ...over,
    });
    const transfer = (payload: Record<string, unknown>, by = w.head) => t.call({ method: 'POST', url: '/api/v1/crime-transfers', as: by, payload });

    it('负责人批准后移送，载明移送书文号和接收的公安机关，不产生向其他行政执法主体的移送，并记入审计', async () => {
      const res = await transfer(body());
      expect(res.statusCode, res.body).toBe(201);
      transferId = res.json().id;
      expect(res.json()).toMatchObject({
        agencyCode: w.agency.code,
        enterpriseCode: w.enterprise.creditCode,
        inspectionId,
        foundOn: '2026-05-12',
        documentNo: '武昌市监移〔2026〕12号',
        receivingOrgan: '武汉市公安局武昌区分局',
        approvedBy: w.head.sub,
      });
      expect(await t.db.select().from(referrals).where(eq(referrals.inspectionId, inspectionId))).toEqual([]);
      const audit = (await t.call({ method: 'GET', url: `/api/v1/audit?subjectType=crime_transfer&subjectId=${transferId}`, as: w.supervisor })).json();
      expect(audit).toEqual([
        expect.objectContaining({
          action: 'crime_transfer.recorded',
          payload: expect.objectContaining({ rule: 'CRIME_TRANSFER', article: '第二十三条、《行政执法机关移送涉嫌犯罪案件的规定》第三条', receivingOrgan: '武汉市公安局武昌区分局', documentNo: '武昌市监移〔2026〕12号' }),
        }),
      ]);
    });

    it('执法人员不能自行移送；其他单位不能以本单位名义移送；同一移送书文号不能重复使用', async () => {
      expect((await transfer(body({ documentNo: '武昌市监移〔2026〕13号' }), w.officer)).statusCode).toBe(403);
      const other = await newAgency(t.db, { name: '武昌区应急管理局', districtCode: w.districtCode, domains: ['safety'] });
      expect((await transfer(body({ agencyCode: w.agency.code, documentNo: '武昌应急移〔2026〕1号' }), as.head(other.code))).json().code).toBe('OUT_OF_SCOPE');
      const again = await transfer(body());
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'ALREADY_EXISTS', errors: [{ field: 'body.documentNo' }] });
    });

    it('未写明接收的公安机关、发现日期晚于今天或早于检查开始的，400 并指明字段', async () => {
      const { receivingOrgan: _r, ...noOrgan } = body({ documentNo: '武昌市监移〔2026〕14号' });
      const missing = await transfer(noOrgan);
      expect(missing.statusCode).toBe(400);
      expect(JSON.stringify(missing.json().errors)).toContain('receivingOrgan');
      const future = await transfer(body({ documentNo: '武昌市监移〔2026〕15号', foundOn: '2026-05-13' }));
      expect(future.json()).toMatchObject({ status: 400, errors: [{ field: 'body.foundOn' }] });
      const early = await transfer(body({ documentNo: '武昌市监移〔2026〕16号', foundOn: '2026-05-01' }));
      expect(early.json()).toMatchObject({ status: 400, errors: [{ field: 'body.foundOn' }] });
    });

    it('本单位和本辖区司法行政部门可查看，其他单位和其他辖区不可查看', async () => {
      const url = `/api/v1/crime-transfers/${transferId}`;
      // Every caller is resolved against the registry (issue 15): the bureaus and the other agency are registered units.
      const cityBureau = await newJusticeBureau(t.db, { name: '武汉市司法局（测试）' });
      const otherBureau = await newJusticeBureau(t.db, { name: '其他区司法局（测试）', districtCode: w.otherDistrictCode });
      const otherAgency = await newAgency(t.db, { name: '其他单位（测试）' });
      expect((await t.call({ method: 'GET', url, as: w.officer })).statusCode).toBe(200);
      expect((await t.call({ method: 'GET', url, as: w.supervisor })).statusCode).toBe(200);
      expect((await t.call({ method: 'GET', url, as: as.supervisor(cityBureau.code) })).statusCode).toBe(200);
      expect((await t.call({ method: 'GET', url, as: as.supervisor(otherBureau.code, w.otherDistrictCode) })).json().code).toBe('OUT_OF_SCOPE');
      expect((await t.call({ method: 'GET', url, as: as.officer(otherAgency.code) })).json().code).toBe('OUT_OF_SCOPE');
      const mine = (await t.call({ method: 'GET', url: '/api/v1/crime-transfers', as: w.officer })).json();
      expect(mine.map((c: { id: string }) => c.id)).toEqual([transferId]);
      const elsewhere = (await t.call({ method: 'GET', url: '/api/v1/crime-transfers', as: as.supervisor(otherBureau.code, w.otherDistrictCode) })).json();
      expect(elsewhere).toEqual([]);
    });
  });
});
